"""What is still a rule in a France sweep, as ``france.html`` lists it (« hypothèses »).

Each job's ``scenarios.json`` lists the rules its territory was built with
(``territory_rules``, ids of :data:`simsoins.territory.rules.RULES`, whose English text
is the reference). This module counts them over a sweep and words them in French or
English. The French texts below stand until the dashboard's labels carry ``rule.<id>``
keys; a key there wins over this table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simsoins.dashboard.i18n import Translator
from simsoins.territory.rules import RULES

#: French text of each rule id (translation of RULES; the dashboard's ``rule.<id>`` wins).
RULES_FR: dict[str, str] = {
    "communes_at_centroid": (
        "Chaque habitant d'une commune est placé au centroïde de la commune (contour IGN), non là où "
        "vivent les gens ; distance routière = 1,3 × distance à vol d'oiseau."),
    "gps_scaled_from_2020": (
        "Médecins généralistes par commune : effectifs de la BPE 2020 de l'INSEE au lieu d'exercice, "
        "ramenés à l'effectif 2024 du département (data.ameli.fr) au plus fort reste."),
    "gp_practice_grouping": (
        "Les médecins d'une commune sont regroupés en cabinets de 5 au plus (3 ou plus = maison de "
        "santé) : le lieu d'exercice de chacun n'est pas publié sous forme de table."),
    "plm_gp_split": (
        "Paris, Lyon et Marseille : les médecins de la ville sont répartis entre ses arrondissements "
        "au prorata de la population."),
    "gp_schedules": (
        "Plages de consultation : 9 demi-journées par semaine (70 % en semaine, 30 % avec le samedi "
        "matin) ; médecins à mode d'exercice particulier (MEP) : 6 demi-journées."),
    "er_rosters": (
        "Médecins des urgences par heure : règle d'effectif du modèle selon les arrivées attendues ; "
        "les plannings ne sont pas publics."),
    "er_site_at_centroid": (
        "Sites d'urgences : ceux ouverts en 2022 (DREES, SAE), placés au centroïde de leur commune ; "
        "les fermetures depuis ne sont pas prises en compte."),
    "evening_care_sites": (
        "Permanence des soins (soirs et week-ends) : un médecin pour 110 000 habitants dans les villes "
        "dotées d'urgences."),
    "age_structure_departement": (
        "Chaque commune prend la structure par âge de son département (INSEE 2025) : aucune table "
        "d'âge par commune n'est embarquée."),
    "without_mt_share": (
        "Habitants sans médecin traitant au départ : une seule part pour tout le territoire."),
    "closed_border": (
        "Personne ne franchit la limite extérieure du territoire pour un médecin ou les urgences ; "
        "simuler les voisins avec lui (territory.code=[41,37,45]) là où cela compte."),
}


@dataclass(frozen=True)
class RuleUse:
    """One rule of a sweep: its id, its text and how many of the sweep's départements use it."""

    rule: str
    text: str
    departements: int


def rule_text(rule: str, t: Translator) -> str:
    """The text of ``rule`` in ``t``'s language: the dashboard's ``rule.<id>`` label if it has
    one, else this module's French or RULES' English; an unknown id shows as itself."""
    if t.has(f"rule.{rule}"):
        return t(f"rule.{rule}")
    if t.lang == "fr" and rule in RULES_FR:
        return RULES_FR[rule]
    return RULES.get(rule, rule)


def rules_used(jobs: Iterable, t: Translator) -> list[RuleUse]:
    """Every rule of the sweep's ``jobs`` (each with ``codes`` and ``rules``), in the order of
    RULES (unknown ids last), with the number of distinct départements whose job used it."""
    where: dict[str, set[str]] = {}
    for job in jobs:
        for rule in job.rules:
            where.setdefault(rule, set()).update(job.codes)
    order = [r for r in RULES if r in where] + sorted(r for r in where if r not in RULES)
    return [RuleUse(r, rule_text(r, t), len(where[r])) for r in order]
