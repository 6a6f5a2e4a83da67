"""The words of the France sweep's page (``python -m simsoins.france_report``,
:mod:`simsoins.tools.france_report`) in French and English: key → text, the ``france.*``
labels beside the dashboard's (:mod:`~simsoins.dashboard.labels_fr`,
:mod:`~simsoins.dashboard.labels_en`, whose ``kpi.*`` names the page also uses)."""

from __future__ import annotations

FR: dict[str, str] = {
    "france.title": "Accès aux soins de médecine générale par département — {kpi}",
    "france.code": "Code",
    "france.name": "Territoire",
    "france.scenario": "Scénario",
    "france.population": "Habitants",
    "france.gp_per_100k": "MG libéraux pour 100 000 hab.",
    "france.er_sites": "Sites d'urgences",
    "france.ci": "IC 95 %",
    "france.wall_seconds": "Durée du calcul (s)",
    "france.peak_rss_mb": "Mémoire max. (Mo)",
    "france.not_simulated": "non simulé",
    "france.table": "Tableau des départements",
    "france.sorted": "Trié par « {kpi} », décroissant ; cliquer un en-tête pour trier par une autre colonne.",
    "france.rules": "Ce qui reste une hypothèse",
    "france.rules_intro": ("Règles de construction des territoires de ce balayage (nombre de départements concernés "
                           "sur {n}) :"),
    "france.no_rules": ("Les résultats de ce balayage ne listent aucune hypothèse de construction (simulés avant "
                        "qu'elles soient enregistrées, ou territoires sans hypothèse déclarée) : voir docs/france.md."),
    "france.multi": ("Territoires de plusieurs départements, dans le tableau mais pas sur la carte (leur valeur "
                     "n'appartient à aucun contour) : {names}."),
    "france.note": "Simulation simsoins ; ce qui reste une hypothèse est listé sous le tableau.",
    "france.departements": "{n} département(s)",
}

EN: dict[str, str] = {
    "france.title": "Access to GP care by département — {kpi}",
    "france.code": "Code",
    "france.name": "Territory",
    "france.scenario": "Scenario",
    "france.population": "Inhabitants",
    "france.gp_per_100k": "Self-employed GPs per 100,000",
    "france.er_sites": "ER sites",
    "france.ci": "95 % CI",
    "france.wall_seconds": "Wall time (s)",
    "france.peak_rss_mb": "Peak memory (MB)",
    "france.not_simulated": "not simulated",
    "france.table": "Table of départements",
    "france.sorted": "Sorted by “{kpi}”, descending; click a header to sort by another column.",
    "france.rules": "What is still a rule",
    "france.rules_intro": "Rules the territories of this sweep were built with (départements concerned, of {n}):",
    "france.no_rules": ("This sweep's results list no construction rule (simulated before rules were recorded, or "
                        "territories that declare none): see docs/france.md."),
    "france.multi": ("Territories of several départements, in the table but not on the map (their value belongs to "
                     "no single outline): {names}."),
    "france.note": "simsoins simulation; what is still a rule is listed below the table.",
    "france.departements": "{n} département(s)",
}
