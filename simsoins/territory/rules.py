"""What is still a rule, not data, in a territory (« hypothèses de construction »).

A territory lists the ids of the rules it was built with (``territory.rules``); runs carry
them in ``scenarios.json`` (``territory_rules``) so that the dashboard and ``france.html``
say, where the results are read, which parts of the map are assumptions. The English text
here is the reference; the dashboards translate each id (``rule.<id>`` in their labels).
"""

from __future__ import annotations

from simsoins.config.schema import ConfigError

RULES: dict[str, str] = {
    "communes_at_centroid": (
        "Every inhabitant of a commune is placed at the commune's centroid (IGN outline), not where "
        "people live; road distance = 1.3 × straight-line distance."),
    "gps_scaled_from_2020": (
        "GPs per commune: INSEE BPE 2020 counts at the place of practice, scaled to the "
        "département's 2024 head count (data.ameli.fr) by largest remainder."),
    "gp_practice_grouping": (
        "The GPs of a commune are grouped into practices of at most 5 (3 or more = a maison de "
        "santé); where each GP works is not public as a table."),
    "plm_gp_split": (
        "Paris, Lyon and Marseille: the city's GPs are split over its arrondissements in "
        "proportion to population."),
    "gp_schedules": (
        "Schedules: 9 half-days a week (70 % weekdays, 30 % with Saturday morning); GPs with a "
        "particular practice (MEP) 6 half-days."),
    "er_rosters": (
        "ER doctors per hour follow the model's staffing rule from expected arrivals; rosters are "
        "not public."),
    "er_site_at_centroid": (
        "ER sites are those open in 2022 (DREES SAE), placed at their commune's centroid; "
        "closures since are not reflected."),
    "evening_care_sites": (
        "Evening and weekend care (PDSA): one doctor per 110,000 inhabitants in the ER towns."),
    "age_structure_departement": (
        "Each commune takes its département's age structure (INSEE 2025): no commune-level age "
        "table is carried."),
    "without_mt_share": (
        "Residents without a médecin traitant at the start: one share for the whole territory."),
    "closed_border": (
        "Nobody crosses the territory's outer border for a GP or an ER; simulate the neighbours "
        "with it (territory.code=[41,37,45]) where that matters."),
}


def checked_rules(ids, field: str) -> tuple[str, ...]:
    """``ids`` as a tuple, each a key of :data:`RULES`; anything else is refused."""
    out = tuple(str(i) for i in ids or ())
    for rule in out:
        if rule not in RULES:
            raise ConfigError(f"{field} = {rule!r}: unknown rule; allowed: {', '.join(RULES)}")
    return out
