"""The public cost parameters (« coût public »): what each lever costs the public purse a
year, in euros, per unit of the plan (an assistant, a junior, a centre's GP, a regulator
hour…).  Every default cites ``../shared/CALIBRATION.md`` §18 (source and year) or says
ASSUMPTION; ``configs/config.yaml``'s ``costs:`` block holds the same values
(``tests/test_defaults.py``).  Read by :mod:`simsoins.results.costs`; docs/levers.md
("Costs") gives the formulas."""

from __future__ import annotations

from dataclasses import dataclass, field

from simsoins.config.schema import ConfigError, rng


def eur(default: float) -> float:
    """A field in euros, ≥ 0."""
    return field(default=default, metadata=rng(0))


@dataclass(frozen=True)
class CostConfig:
    """Unit costs of the levers, euros (gross, employer contributions excluded, as the
    sources give them)."""

    # CNAM aid per 1-FTE assistant médical contract, contract years 1, 2, 3 and after
    # (ameli, June 2024 scale, CALIBRATION §18.3); the last value holds from then on
    assistant_aid_eur: tuple[float, ...] = field(default=(38000.0, 28000.0, 22000.0), metadata=rng(0))
    # ASSUMPTION: one full-time assistant per GP; the 0.5 FTE aid is exactly half (§18.3)
    assistant_fte: float = field(default=1.0, metadata=rng(0, 10))
    # docteur junior: 2,375 € gross a month (≈ 28,500 €/yr), décret 2025-850 (§18.3)
    junior_pay_eur_per_month: float = eur(2375.0)
    # 500 € a semester if ≥ 200 acts a month (décret 2025-850, §10); ASSUMPTION: earned,
    # the juniors' 56 slots a week being above the ≈ 46 a week of the floor
    junior_activity_bonus_eur_per_semester: float = eur(500.0)
    # + 1,000 € a month in a ZIP (§10, §18.3)
    junior_zip_eur_per_month: float = eur(1000.0)
    # supervisor (MSU): 600 € teaching fee + 1,200 € supervision cost a month per junior (§10, 2025)
    supervisor_eur_per_month: float = eur(1800.0)
    # + 800 € a month in a ZIP/ZAC/QPV (§10)
    supervisor_zip_eur_per_month: float = eur(800.0)
    # ASSUMPTION: share of the juniors placed in a ZIP (not published, CALIBRATION §22)
    zip_share: float = field(default=0.0, metadata=rng(0, 1))
    # MSP ACI: 153.5 M€ for 1,953 MSP in 2023 ≈ 78,600 € each (CNAM 2023, §18.3)
    msp_aci_eur_per_year: float = eur(78600.0)
    # centre de santé ACI: mean 39,533 € per centre (ameli 2022, §18.3)
    centre_aci_eur_per_year: float = eur(39533.0)
    # centre de santé deficit covered by its public owner: ≈ 100 k€ a year for a 3-GP
    # municipal centre ≈ 33 k€ per salaried GP (compilation of 9 municipal budgets, ≈ 2023, §18.3)
    centre_deficit_eur_per_gp_year: float = eur(33000.0)
    # CPTS ACI: 121 M€ (AM + FIR) for ≈ 700 signatories in 2023 ≈ 170 k€ each (Sénat 2025, §18.3) …
    cpts_aci_eur_per_year: float = eur(170000.0)
    # … for a mean CPTS of 82,000 inhabitants (FCPTS 2024, §7): the area's CPTS count is its population / this
    cpts_population: float = field(default=82000.0, metadata=rng(1, 1e9))
    # SAS: liberal GP regulators 100 €/hour (règlement arbitral 2023, §18.3)
    sas_regulator_eur_per_hour: float = eur(100.0)
    # SAS effecteurs: 1,400 €/yr (forfait structure) + 15 € per regulated consultation (§18.3, 2022-24)
    sas_effecteur_eur_per_year: float = eur(1400.0)
    sas_consultation_eur: float = eur(15.0)
    # médicobus: GPs salaried 60 € net/hour (Orne, §12, §18.3)
    medicobus_gp_eur_per_hour: float = eur(60.0)
    # vehicle 100,000-400,000 € (§18.3, 2023-24): the middle, 250,000 € …
    medicobus_vehicle_eur: float = eur(250000.0)
    # … spread over 8 years: ASSUMPTION (no depreciation period published)
    medicobus_vehicle_years: float = field(default=8.0, metadata=rng(0, 100, lo_open=True))
    # hôpital de proximité unit: a doctor on duty an hour. ASSUMPTION (no cost published, §18.3):
    # a salaried GP's 80,000 € gross a year (70-90 k€, CALIBRATION §18.3) over ≈ 1,600 hours
    hospital_doctor_eur_per_hour: float = eur(50.0)
    # teleconsultation act (TCG) 25 € (convention 2024, §18.1), paid by the AM for each act the lever adds
    tele_act_eur: float = eur(25.0)
    # cabin 68,000 € (Seine-et-Marne, large model, §18.3) …
    cabine_eur: float = eur(68000.0)
    # … spread over 5 years: ASSUMPTION; + 10,000 €/yr running cost each (§18.3)
    cabine_years: float = field(default=5.0, metadata=rng(0, 100, lo_open=True))
    cabine_running_eur_per_year: float = eur(10000.0)
    # « France Santé » label: 130 M€ in 2026, ≈ 50 k€ on average per labelled structure a year
    # (LFSS 2026 art. 63, CALIBRATION §11 and §18.3)
    france_sante_eur_per_structure_year: float = eur(50000.0)
    # missions de solidarité territoriale: 200 € a day to the volunteer on top of the fees (2025,
    # CALIBRATION §11 and §18.3); the fees are not counted (the consultations move, none is added)
    missions_eur_per_day: float = eur(200.0)
    # an ED visit: 3.1 Md€ / 21.2 M visits ≈ 146 € (Cour des comptes 2019, §18.2); a saving, shown apart
    er_visit_eur: float = eur(146.0)

    def check(self, path: str) -> None:
        if not self.assistant_aid_eur:
            raise ConfigError(f"{path}.assistant_aid_eur = []: must list the aid of at least one contract year")
