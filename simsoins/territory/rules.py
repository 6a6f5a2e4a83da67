"""What is still a rule, not data, in a territory (« hypothèses de construction »).

A territory lists the ids of the rules it was built with (``territory.rules``); runs carry
them in ``scenarios.json`` (``territory_rules``) so that the dashboard and ``france.html``
say, where the results are read, which parts of the map are assumptions. Each id is worded
once per language, as ``rule.<id>`` in ``simsoins/dashboard/labels_fr.py`` and
``labels_en.py``; ``docs/france.md`` explains them.
"""

from __future__ import annotations

from simsoins.config.schema import ConfigError

RULES = (
    "communes_at_centroid",       # inhabitants at the commune's centroid, road = 1.3 × straight line
    "gps_scaled_from_2020",       # GPs by commune: BPE 2020 scaled to the 2024 head count
    "gp_practice_grouping",       # a commune's GPs in practices of ≤ 5 (3+ = MSP)
    "plm_gp_split",               # Paris, Lyon, Marseille GPs split by arrondissement on population
    "gp_schedules",               # 9 half-days (MEP 6), 30 % with Saturday morning
    "er_rosters",                 # ER doctors per hour from the staffing rule
    "er_site_at_centroid",        # ER units of 2022 (SAE) at their commune's centroid
    "evening_care_sites",         # PDSA: one doctor per 110,000 inhabitants in ER communes
    "age_structure_departement",  # each commune takes its département's age structure
    "without_mt_share",           # one share without a médecin traitant for the whole territory
    "closed_border",              # nobody crosses the territory's outer border
)


def checked_rules(ids, field: str) -> tuple[str, ...]:
    """``ids`` as a tuple, each one of :data:`RULES`; anything else is refused."""
    out = tuple(str(i) for i in ids or ())
    for rule in out:
        if rule not in RULES:
            raise ConfigError(f"{field} = {rule!r}: unknown rule; allowed: {', '.join(RULES)}")
    return out
