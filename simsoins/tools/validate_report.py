"""The words and layout of ``python -m simsoins.validate``'s report, in French (default) or
English (``--lang en``): ``calibration.md`` and the table printed on the console.

Every verdict is shown with the band it is judged against (« tolérance »: the simulated
mean must lie within [low, high]).  KPI ids stay as they are (they are the columns of
``calibration.csv`` and of the code); the CSV keeps its English codes (``inside``,
``tuned``…), read by ``simsoins.tools.calibrate``.
"""

from __future__ import annotations

import pandas as pd

LANGS = ("fr", "en")

#: The public figure of each target in French (the English text is ``Target.value``).
PUBLIC_FR = {
    "gp_wait_days_median": "2 jours",
    "gp_wait_days_mean": "6 jours",
    "gp_within_1d_share": "49 % le jour même ou le lendemain",
    "gp_within_2d_share": "41 % sous 48 h (Doctolib 2023)",
    "gp_consultations_per_inhabitant_year": "≈ 2,9 (national) ; APL Centre-Val de Loire 2,9",
    "er_visits_per_1000_year": "≈ 310 pour 1 000",
    "er_avoidable_share": "6 à 27 % des passages aux urgences",
    "tele_share_of_gp_consultations": "2,2 % en rural (3,2 % national)",
    "without_mt_share": "11 % des adultes (national)",
    "routine_gave_up_share": "> 90 % des contacts aboutissent à un rendez-vous",
    "consultations_per_gp_week": "≈ 109 (5 000 actes / 45,8 semaines)",
}

WORDS = {
    "fr": {
        "title": "Rapport de calage — {label}",
        "cols": ("Indicateur", "chiffre public", "source", "tolérance", "moyenne simulée [IC 95 %]", "rôle",
                 "verdict"),
        "inside": "dans la tolérance", "outside": "hors tolérance",
        "tuned": "ajusté", "out-of-sample": "contrôle hors calage",
        "care_title": "Délai jusqu'au soin, toutes demandes",
        "care_intro": ("Les délais ci-dessus comptent les rendez-vous obtenus, comme la DREES. Ceux-ci comptent toutes "
                       "les demandes, celles abandonnées ou parties aux urgences comptant jusqu'à leur départ "
                       "(docs/model.md § 6) ; aucun chiffre public, donc aucune tolérance."),
        "care_cols": ("Indicateur", "moyenne simulée [IC 95 %]"),
        "warmup_title": "Mise en route",
        "warmup": ("MSER-5 sur le délai moyen hebdomadaire des demandes programmées (réplication 0) retire les {weeks} "
                   "premières semaines ; la mise en route par défaut est de {days} jours ({dweeks:.0f} semaines)"),
        "enough": " — suffisant.", "longer": " — envisager une mise en route plus longue.",
        "reps_title": "Nombre de réplications",
        "reps_intro": "Réplications pour un IC 95 % de demi-largeur au plus 5 % de la moyenne (d'après ce pilote) :",
        "reps_cols": ("Indicateur", "réplications du pilote", "réplications nécessaires"),
        "cannot_title": "Ce que le modèle ne reproduit pas, et pourquoi",
        "outside_list": "Hors tolérance dans ce calcul : {kpis}.",
        "console_care": "Délai jusqu'au soin, toutes demandes (aucun chiffre public, aucune tolérance) :",
        "console_report": "Rapport : {path}",
        "console_cols": ("indicateur", "chiffre public", "tolérance", "simulé [IC 95 %]", "verdict"),
        "console_care_cols": ("indicateur", "simulé [IC 95 %]"),
    },
    "en": {
        "title": "Calibration report — {label}",
        "cols": ("KPI", "public figure", "source", "tolerance", "simulated mean [95 % CI]", "role", "verdict"),
        "inside": "inside", "outside": "outside",
        "tuned": "tuned", "out-of-sample": "out-of-sample",
        "care_title": "Time to care over every request",
        "care_intro": ("The waits above count the appointments obtained, as DREES does. These count every request, "
                       "those who gave up or went to the ER as waiting until they left (docs/model.md §6); no public "
                       "figure, no band."),
        "care_cols": ("KPI", "simulated mean [95 % CI]"),
        "warmup_title": "Warm-up",
        "warmup": ("MSER-5 on the weekly mean routine wait (replication 0) drops the first {weeks} weeks; the "
                   "default warm-up is {days} days ({dweeks:.0f} weeks)"),
        "enough": " — enough.", "longer": " — consider a longer warm-up.",
        "reps_title": "Number of replications",
        "reps_intro": "Replications for a 95 % CI half-width within 5 % of the mean (from the pilot run):",
        "reps_cols": ("KPI", "pilot n", "replications needed"),
        "cannot_title": "What the model cannot reproduce, and why",
        "outside_list": "Outside tolerance in this run: {kpis}.",
        "console_care": "Time to care over every request (no public figure, no band):",
        "console_report": "Report: {path}",
        "console_cols": ("kpi", "public figure", "tolerance", "simulated [95 % CI]", "verdict"),
        "console_care_cols": ("kpi", "simulated [95 % CI]"),
    },
}

#: Why some figures are out of reach (English in ``simsoins.tools.validate.CANNOT``), in French.
CANNOT_FR = (
    "Les délais de la DREES comptent les rendez-vous obtenus (comme `gp_wait_days_*` du modèle) ; aucun chiffre "
    "public ne compte les demandes abandonnées, donc le délai jusqu'au soin de toutes les demandes n'a pas de "
    "tolérance.",
    "Les délais de la DREES mêlent tous les motifs de consultation ; `gp_wait_days_*` mêle les demandes programmées "
    "et non programmées du modèle dans les proportions de sa propre demande, qui peuvent différer.",
    "Le délai médian chez le médecin, en jours entiers (DREES : 2), vaut 4 sur le Loir-et-Cher : les délais obtenus "
    "ont une masse le jour même ou le lendemain (≈ 43 %, DREES 49 %), puis les rendez-vous programmés s'étalent sur "
    "les semaines suivantes ; la part sous 3 jours est ≈ 49 %, juste sous la moitié. La moyenne et les parts sous 1 "
    "et 2 jours sont dans la tolérance.",
    "Consultations par médecin et par semaine (≈ 83 contre ≈ 109) : le chiffre de la CNAM est celui d'un médecin à "
    "pleine activité ; les semaines de travail du territoire sont en moyenne plus légères et les agendas pas "
    "toujours pleins. Une donnée de capacité, non ajustée.",
    "La téléconsultation est une plateforme plus des hypothèses de recours : le modèle ne sait pas quels médecins "
    "proposent des créneaux en vidéo.",
    "La part sans médecin traitant ne bouge que par les inscriptions après consultation et une perte annuelle ; les "
    "causes en France (départs à la retraite, déménagements) ne sont pas modélisées une à une.",
    "Les urgences vitales sont un débit d'entrée ; les passages évitables (venues directes pour des demandes non "
    "programmées, et celles que la ville n'a pas pu placer) dépendent des soins de ville. Les taux de venue directe "
    "par heure, distance, âge et médecin traitant sont des HYPOTHÈSES fixées pour que les passages évitables "
    "fassent ≈ 17 % des passages (Cour des comptes 2017).",
)


def fmt(x: float, lang: str) -> str:
    """A figure of the report: « — » if missing, 3 decimals below 10, else 1; a decimal comma in French."""
    if pd.isna(x):
        return "—"
    return _local(f"{x:.3f}" if abs(x) < 10 else f"{x:.1f}", lang)


def _local(s: str, lang: str) -> str:
    """French: decimal comma and a true minus sign."""
    return s.replace(".", ",").replace("-", "\u2212") if lang == "fr" else s


def interval(m: float, lo: float, hi: float, lang: str) -> str:
    """« 5,610 [5,570 ; 5,650] » (fr) or « 5.610 [5.570, 5.650] » (en)."""
    sep = " ; " if lang == "fr" else ", "
    return f"{fmt(m, lang)} [{fmt(lo, lang)}{sep}{fmt(hi, lang)}]"


def tolerance(low: float, high: float, lang: str) -> str:
    """The band a verdict is judged against, with the digits it was set with: « 0,4–0,58 », « 270–350 »."""
    return f"{_local(f'{low:g}', lang)}–{_local(f'{high:g}', lang)}"


def _row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(cols: tuple[str, ...], rows: list) -> list[str]:
    return [_row(cols), _row(["---"] * len(cols)), *(_row(r) for r in rows)]


def markdown(table: pd.DataFrame, mser_weeks: int, warmup_days: int, reps: pd.DataFrame, label: str,
             care: pd.DataFrame, cannot: tuple[str, ...], lang: str = "fr") -> str:
    """``calibration.md``: the calibration table (each verdict beside its tolerance), the
    time to care over every request (``care``), the warm-up check (``mser_weeks``: MSER-5's
    cut in batches of 5 weeks), the replications needed, and what the model cannot
    reproduce (``cannot``, the English texts; French ones in French)."""
    w = WORDS[lang]
    calib = [(f"`{r.kpi}`", PUBLIC_FR.get(r.kpi, r.public_figure) if lang == "fr" else r.public_figure, r.source,
              tolerance(r.tolerance_low, r.tolerance_high, lang), interval(r.simulated_mean, r.ci_low, r.ci_high, lang),
              w[r.role], f"**{w[r.verdict]}**") for r in table.itertuples()]
    lines = [f"# {w['title'].format(label=label)}", "", *_table(w["cols"], calib),
             "", f"## {w['care_title']}", "", w["care_intro"], "",
             *_table(w["care_cols"], [(f"`{r.kpi}`", interval(r.simulated_mean, r.ci_low, r.ci_high, lang))
                                      for r in care.itertuples()]),
             "", f"## {w['warmup_title']}", "",
             w["warmup"].format(weeks=mser_weeks * 5, days=warmup_days, dweeks=warmup_days / 7)
             + (w["enough"] if mser_weeks * 35 <= warmup_days else w["longer"]),
             "", f"## {w['reps_title']}", "", w["reps_intro"], "",
             *_table(w["reps_cols"], [(f"`{r.kpi}`", r.pilot_n, r.needed) for r in reps.itertuples()]),
             "", f"## {w['cannot_title']}", "", *(f"- {c}" for c in (CANNOT_FR if lang == "fr" else cannot))]
    outside = table[table["verdict"] == "outside"]
    if len(outside):
        lines += ["", w["outside_list"].format(kpis=", ".join(f"`{k}`" for k in outside["kpi"]))]
    return "\n".join(lines) + "\n"


def console(table: pd.DataFrame, care: pd.DataFrame, out_file, lang: str = "fr") -> str:
    """The text printed at the end of the command: each KPI's public figure, tolerance,
    simulated mean [95 % CI] and verdict; then the time to care; then where the report is."""
    w = WORDS[lang]
    calib = pd.DataFrame(
        [(r.kpi, PUBLIC_FR.get(r.kpi, r.public_figure) if lang == "fr" else r.public_figure,
          tolerance(r.tolerance_low, r.tolerance_high, lang), interval(r.simulated_mean, r.ci_low, r.ci_high, lang),
          w[r.verdict]) for r in table.itertuples()], columns=list(w["console_cols"]))
    care_t = pd.DataFrame([(r.kpi, interval(r.simulated_mean, r.ci_low, r.ci_high, lang)) for r in care.itertuples()],
                          columns=list(w["console_care_cols"]))
    return (calib.to_string(index=False) + "\n\n" + w["console_care"] + "\n" + care_t.to_string(index=False)
            + "\n\n" + w["console_report"].format(path=out_file))


__all__ = ["LANGS", "PUBLIC_FR", "WORDS", "console", "markdown"]
