"""Labels, sentences and number formatting of the dashboard (« libellés »).

French is the default (the planners' language); English is the option ``lang="en"``.
:func:`translator` returns a :class:`Translator`, a callable ``t(key, **fields)`` that
also formats numbers the local way (decimal comma and narrow no-break space in French:
« 1 234,5 »; « 1,234.5 » in English).  Unknown keys fall back to English, then to the
key itself, so a new KPI id shows up under its id rather than breaking the page.
"""

from __future__ import annotations

import math

from simsoins.vocabulary import CHANNELS

LANGS = ("fr", "en")
#: Outcomes of a request (« issue de la demande »), in display order.
CHANNEL_ORDER = CHANNELS

_FR: dict[str, str] = {
    "page.title": "Accès aux soins de médecine générale : comparaison de scénarios",
    "page.territory": "Territoire : {territory}",
    "page.start": "Début de la simulation : {date}",
    "page.reps": "Réplications par scénario : {n}",
    "page.few_reps": ("moins de 5 : les intervalles de confiance sont peu fiables, relancez avec "
                      "run.replications=5 ou plus"),
    "note.holm": ("Couleurs et « significatif » : différence au seuil de 5 % après correction de Holm sur les "
                  "{n} indicateurs du tableau ; les intervalles sont ceux de chaque indicateur seul (IC 95 %, "
                  "les parts bornées à 0–100 %)."),
    "page.baseline": "référence",
    "page.scenarios": "Scénarios comparés",
    "page.footer": ("Tableau de bord produit par simsoins ; moyennes sur les réplications, intervalles de confiance à "
                    "95 % (loi de Student)."),
    "page.nav": "Sommaire",
    "missing": "Données non disponibles (fichier {file} absent ou vide).",
    "section.headline": "Résultats principaux",
    "section.routine": "Délais pour un rendez-vous programmé",
    "section.acute": "Demandes de soins non programmés",
    "section.er": "Urgences",
    "section.time": "Évolution dans le temps",
    "section.equity": "Équité : âges et communes",
    "section.capacity": "Capacités et taux d'occupation",
    "section.configs": "Paramètres des scénarios",
    "intro.headline": ("Chaque tableau compare un scénario à la situation de référence : moyenne sur les réplications "
                       "[intervalle de confiance à 95 %] et différence appariée scénario − référence."),
    "intro.headline_alone": ("Seule la situation de référence a été simulée : indicateurs clés et intervalles de "
                             "confiance à 95 %."),
    "intro.routine": "Délai entre la demande et le rendez-vous obtenu, pour les demandes de soins programmés.",
    "intro.acute": "Où aboutissent les demandes de soins non programmés (besoin de consulter sous 48 h).",
    "intro.er": "Ligne : moyenne des réplications ; bande : minimum et maximum des réplications.",
    "intro.time": "Semaine de la demande ; les pics hivernaux (épidémies) apparaissent ici.",
    "intro.equity": "Indicateurs par tranche d'âge et par commune de résidence.",
    "intro.capacity": "Créneaux réservés rapportés aux créneaux offerts.",
    "intro.configs": "Paramètres de chaque scénario (fichier YAML), un clic pour les afficher.",
    "col.kpi": "Indicateur",
    "col.value": "Valeur [IC 95 %]",
    "col.diff": "Différence [IC 95 %]",
    "vs": "{scenario} comparé à {baseline}",
    "ci": "{m} [{lo} ; {hi}]",
    "sentence.change": "{subject} passe de {a} à {b} (différence {d}, IC 95 % {lo} à {hi}).",
    "sentence.change_ns": ("{subject} passe de {a} à {b} (différence {d}, IC 95 % {lo} à {hi} : différence non "
                           "significative)."),
    "sentence.change_noci": "{subject} passe de {a} à {b} (différence {d} ; intervalle de confiance non calculable).",
    "sentence.level": "{subject} : {a} (IC 95 % {lo} à {hi}).",
    "sentence.level_noci": "{subject} : {a}.",
    "subject.routine_wait_days_median": "Le délai médian pour un rendez-vous programmé",
    "subject.routine_wait_days_mean": "Le délai moyen pour un rendez-vous programmé",
    "subject.routine_within_2d_share": "La part des demandes programmées obtenant un rendez-vous sous 2 jours",
    "subject.acute_within_48h_share": "La part des demandes non programmées vues par un médecin sous 48 h",
    "subject.er_avoidable_visits_per_1000_year": "Le nombre de passages évitables aux urgences",
    "subject.er_wait_hours_mean": "L'attente moyenne aux urgences",
    "subject.without_mt_share": "La part des patients sans médecin traitant",
    "subject.gp_consultations_per_inhabitant_year": "Le nombre de consultations de médecine générale",
    "unit.days": "jour|jours",
    "unit.hours": "heure|heures",
    "unit.share": "point|points",
    "unit.visits/1000 inhabitants/year": "passage pour 1 000 habitants par an|passages pour 1 000 habitants par an",
    "unit.consultations/inhabitant/year": "consultation par habitant et par an|consultations par habitant et par an",
    "pts": "pts",
    "fmt.separators": ",\u202f",
    "fmt.pct": "\u00a0%",
    "fmt.colon": "\u00a0: ",
    "fmt.date": "%d/%m/%Y",
    "kpi.routine_wait_days_median": "Délai médian pour un rendez-vous programmé (jours)",
    "kpi.routine_wait_days_mean": "Délai moyen pour un rendez-vous programmé (jours)",
    "kpi.routine_wait_days_p90": "Délai pour un rendez-vous programmé, 90e centile (jours)",
    "kpi.routine_within_2d_share": "Rendez-vous programmés obtenus sous 2 jours (%)",
    "kpi.routine_within_7d_share": "Rendez-vous programmés obtenus sous 7 jours (%)",
    "kpi.routine_gave_up_share": "Renoncement aux soins programmés (%)",
    "kpi.acute_same_day_share": "Soins non programmés : médecin vu le jour même (%)",
    "kpi.acute_within_48h_share": "Soins non programmés : médecin vu sous 48 h (%)",
    "kpi.acute_channel_share": "Soins non programmés orientés vers : {channel} (%)",
    "kpi.er_visits_per_1000_year": "Passages aux urgences (pour 1 000 habitants par an)",
    "kpi.er_avoidable_visits_per_1000_year": "Passages évitables aux urgences (pour 1 000 habitants par an)",
    "kpi.er_avoidable_share": "Part évitable des passages aux urgences (%)",
    "kpi.er_wait_hours_mean": "Attente moyenne aux urgences (heures)",
    "kpi.gp_consultations_per_inhabitant_year": "Consultations de médecine générale (par habitant et par an)",
    "kpi.gp_wait_days_median": "Délai médian de consultation de médecine générale (jours)",
    "kpi.gp_wait_days_mean": "Délai moyen de consultation de médecine générale (jours)",
    "kpi.gp_within_2d_share": "Consultations de médecine générale obtenues sous 2 jours (%)",
    "kpi.tele_share_of_gp_consultations": "Part de la téléconsultation dans les consultations (%)",
    "kpi.without_mt_share": "Patients sans médecin traitant (%)",
    "kpi.clinician_utilisation": "Taux d'occupation des médecins (%)",
    "kpi.no_show_share": "Rendez-vous non honorés (%)",
    "channel.own_gp": "Son médecin traitant",
    "channel.other_gp": "Un autre médecin généraliste",
    "channel.cpts": "Créneaux CPTS",
    "channel.sas": "SAS",
    "channel.tele": "Téléconsultation",
    "channel.medicobus": "Médicobus",
    "channel.evening": "Garde du soir / week-end",
    "channel.er": "Urgences",
    "channel.gave_up": "Renoncement",
    "channel.sas_advice": "Conseil médical du SAS",
    "fig.ecdf": "Délai pour un rendez-vous programmé : part des rendez-vous obtenus en x jours ou moins (jours ; %)",
    "fig.ecdf.x": "Délai (jours)",
    "fig.ecdf.y": "Rendez-vous obtenus dans ce délai (%)",
    "fig.shares": "Demandes programmées obtenant un rendez-vous sous 2 et 7 jours (% des demandes, IC 95 %)",
    "fig.shares.y": "Part des demandes (%)",
    "fig.sankey": "Orientation des demandes de soins non programmés (nombre moyen de demandes par réplication)",
    "fig.sankey.source": "Demande de soins non programmés",
    "fig.sankey.unit": "demandes",
    "fig.weekly.er_avoidable_visits": "Passages évitables aux urgences par semaine (passages par semaine)",
    "fig.weekly.er_visits": "Passages aux urgences par semaine (passages par semaine)",
    "fig.weekly.er_wait_hours_mean": "Attente moyenne aux urgences par semaine (heures)",
    "fig.weekly.routine_wait_days_mean": "Délai moyen pour un rendez-vous programmé, par semaine de demande (jours)",
    "fig.weekly.without_mt_share": "Patients sans médecin traitant, par semaine (% des patients)",
    "fig.weekly.x": "Semaine",
    "fig.weekly.band": "min–max des réplications",
    "fig.age": "Indicateurs par tranche d'âge (moyenne et IC 95 %)",
    "fig.age.wait": "Délai moyen, rendez-vous programmé (jours)",
    "fig.age.acute": "Soins non programmés vus sous 48 h (%)",
    "fig.age.x": "Tranche d'âge (ans)",
    "fig.map": "Délai moyen pour un rendez-vous programmé par commune de résidence (jours ; taille : population)",
    "fig.map.pop": "Population",
    "fig.map.value": "Délai moyen",
    "fig.map.days": "jours",
    "fig.map.x": "Longitude (°)",
    "fig.map.y": "Latitude (°)",
    "fig.clinicians": "Taux d'occupation des médecins : créneaux réservés / créneaux offerts, par médecin (%)",
    "fig.clinicians.y": "Taux d'occupation (%)",
    "fig.channels": "Taux d'occupation de la téléconsultation et de la garde du soir (% des créneaux offerts, IC 95 %)",
    "fig.channels.y": "Créneaux réservés / offerts (%)",
    "fig.mean": "moyenne",
    "table.communes": ("Les {n} communes où le délai moyen pour un rendez-vous programmé est le plus long dans la "
                       "situation de référence (jours)"),
    "table.commune": "Commune",
}

_EN: dict[str, str] = {
    "page.title": "Access to GP care: scenario comparison",
    "page.territory": "Territory: {territory}",
    "page.start": "Simulation start: {date}",
    "page.reps": "Replications per scenario: {n}",
    "page.few_reps": "fewer than 5: the confidence intervals are unreliable; run again with run.replications=5 or more",
    "note.holm": ("Colours and \"significant\": a difference at the 5 % level after Holm's correction over the "
                  "table's {n} indicators; the intervals are each indicator's own (95 % CI, shares bounded to "
                  "0–100 %)."),
    "page.baseline": "baseline",
    "page.scenarios": "Scenarios compared",
    "page.footer": "Dashboard produced by simsoins; means over replications, 95% confidence intervals (Student t).",
    "page.nav": "Contents",
    "missing": "No data (file {file} missing or empty).",
    "section.headline": "Headline results",
    "section.routine": "Waits for a scheduled appointment",
    "section.acute": "Unscheduled (acute) care requests",
    "section.er": "Emergency department",
    "section.time": "Over time",
    "section.equity": "Equity: age and communes",
    "section.capacity": "Capacity and utilisation",
    "section.configs": "Scenario configurations",
    "intro.headline": ("Each table compares a scenario with the baseline: mean over replications [95% confidence "
                       "interval] and paired difference scenario − baseline."),
    "intro.headline_alone": "Only the baseline was simulated: key indicators with 95% confidence intervals.",
    "intro.routine": "Time from request to appointment, for scheduled (routine) care requests.",
    "intro.acute": "Where unscheduled care requests (need to be seen within 48 h) end up.",
    "intro.er": "Line: mean over replications; band: minimum and maximum over replications.",
    "intro.time": "Week of request; winter (epidemic) peaks show here.",
    "intro.equity": "Indicators by age band and by commune of residence.",
    "intro.capacity": "Booked slots over offered slots.",
    "intro.configs": "Each scenario's configuration (YAML), one click away.",
    "col.kpi": "Indicator",
    "col.value": "Value [95% CI]",
    "col.diff": "Difference [95% CI]",
    "vs": "{scenario} compared with {baseline}",
    "ci": "{m} [{lo}, {hi}]",
    "sentence.change": "{subject} goes from {a} to {b} (difference {d}, 95% CI {lo} to {hi}).",
    "sentence.change_ns": ("{subject} goes from {a} to {b} (difference {d}, 95% CI {lo} to {hi}: difference not "
                           "significant)."),
    "sentence.change_noci": "{subject} goes from {a} to {b} (difference {d}; confidence interval not available).",
    "sentence.level": "{subject}: {a} (95% CI {lo} to {hi}).",
    "sentence.level_noci": "{subject}: {a}.",
    "subject.routine_wait_days_median": "The median wait for a scheduled appointment",
    "subject.routine_wait_days_mean": "The mean wait for a scheduled appointment",
    "subject.routine_within_2d_share": "The share of scheduled requests given an appointment within 2 days",
    "subject.acute_within_48h_share": "The share of unscheduled requests seen by a doctor within 48 h",
    "subject.er_avoidable_visits_per_1000_year": "The number of avoidable emergency visits",
    "subject.er_wait_hours_mean": "The mean emergency department wait",
    "subject.without_mt_share": "The share of patients without a regular doctor",
    "subject.gp_consultations_per_inhabitant_year": "The number of GP consultations",
    "unit.days": "day|days",
    "unit.hours": "hour|hours",
    "unit.share": "point|points",
    "unit.visits/1000 inhabitants/year": "visit per 1,000 inhabitants per year|visits per 1,000 inhabitants per year",
    "unit.consultations/inhabitant/year": "consultation per inhabitant per year|consultations per inhabitant per year",
    "pts": "pp",
    "fmt.separators": ".,",
    "fmt.pct": "%",
    "fmt.colon": ": ",
    "fmt.date": "%Y-%m-%d",
    "kpi.routine_wait_days_median": "Median wait for a scheduled appointment (days)",
    "kpi.routine_wait_days_mean": "Mean wait for a scheduled appointment (days)",
    "kpi.routine_wait_days_p90": "Wait for a scheduled appointment, 90th percentile (days)",
    "kpi.routine_within_2d_share": "Scheduled appointments within 2 days (%)",
    "kpi.routine_within_7d_share": "Scheduled appointments within 7 days (%)",
    "kpi.routine_gave_up_share": "Gave up on scheduled care (%)",
    "kpi.acute_same_day_share": "Unscheduled care: seen the same day (%)",
    "kpi.acute_within_48h_share": "Unscheduled care: seen within 48 h (%)",
    "kpi.acute_channel_share": "Unscheduled care going to: {channel} (%)",
    "kpi.er_visits_per_1000_year": "Emergency visits (per 1,000 inhabitants per year)",
    "kpi.er_avoidable_visits_per_1000_year": "Avoidable emergency visits (per 1,000 inhabitants per year)",
    "kpi.er_avoidable_share": "Avoidable share of emergency visits (%)",
    "kpi.er_wait_hours_mean": "Mean emergency department wait (hours)",
    "kpi.gp_consultations_per_inhabitant_year": "GP consultations (per inhabitant per year)",
    "kpi.gp_wait_days_median": "Median wait for a GP consultation (days)",
    "kpi.gp_wait_days_mean": "Mean wait for a GP consultation (days)",
    "kpi.gp_within_2d_share": "GP consultations within 2 days (%)",
    "kpi.tele_share_of_gp_consultations": "Teleconsultation share of GP consultations (%)",
    "kpi.without_mt_share": "Patients without a regular doctor (%)",
    "kpi.clinician_utilisation": "Clinician utilisation (%)",
    "kpi.no_show_share": "Missed appointments (%)",
    "channel.own_gp": "Own regular doctor",
    "channel.other_gp": "Another GP",
    "channel.cpts": "CPTS slots",
    "channel.sas": "SAS (access service)",
    "channel.tele": "Teleconsultation",
    "channel.medicobus": "Medicobus",
    "channel.evening": "Evening / weekend service",
    "channel.er": "Emergency department",
    "channel.gave_up": "Gave up",
    "channel.sas_advice": "SAS advice by phone",
    "fig.ecdf": "Wait for a scheduled appointment: share of appointments within x days (days; %)",
    "fig.ecdf.x": "Wait (days)",
    "fig.ecdf.y": "Appointments within this wait (%)",
    "fig.shares": "Scheduled requests given an appointment within 2 and 7 days (% of requests, 95% CI)",
    "fig.shares.y": "Share of requests (%)",
    "fig.sankey": "Where unscheduled care requests go (mean number of requests per replication)",
    "fig.sankey.source": "Unscheduled care request",
    "fig.sankey.unit": "requests",
    "fig.weekly.er_avoidable_visits": "Avoidable emergency visits per week (visits per week)",
    "fig.weekly.er_visits": "Emergency visits per week (visits per week)",
    "fig.weekly.er_wait_hours_mean": "Mean emergency department wait per week (hours)",
    "fig.weekly.routine_wait_days_mean": "Mean wait for a scheduled appointment, by week of request (days)",
    "fig.weekly.without_mt_share": "Patients without a regular doctor, by week (% of patients)",
    "fig.weekly.x": "Week",
    "fig.weekly.band": "replication min–max",
    "fig.age": "Indicators by age band (mean and 95% CI)",
    "fig.age.wait": "Mean wait, scheduled appointment (days)",
    "fig.age.acute": "Unscheduled care seen within 48 h (%)",
    "fig.age.x": "Age band (years)",
    "fig.map": "Mean wait for a scheduled appointment by commune of residence (days; size: population)",
    "fig.map.pop": "Population",
    "fig.map.value": "Mean wait",
    "fig.map.days": "days",
    "fig.map.x": "Longitude (°)",
    "fig.map.y": "Latitude (°)",
    "fig.clinicians": "Clinician utilisation: booked / offered slots, per clinician (%)",
    "fig.clinicians.y": "Utilisation (%)",
    "fig.channels": "Teleconsultation and evening service utilisation (% of offered slots, 95% CI)",
    "fig.channels.y": "Booked / offered slots (%)",
    "fig.mean": "mean",
    "table.communes": "The {n} communes with the longest mean wait for a scheduled appointment in the baseline (days)",
    "table.commune": "Commune",
}

_TABLES = {"fr": _FR, "en": _EN}
#: Units shown as a percentage (values are 0–1 shares).
SHARE_UNITS = ("share",)


class Translator:
    """``t(key, **fields)`` → text in ``lang``; also formats numbers and units."""

    def __init__(self, lang: str = "fr") -> None:
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
        self.lang = lang
        self._table = _TABLES[lang]

    def __call__(self, key: str, **fields) -> str:
        if key.startswith("kpi.acute_channel_share."):
            fields["channel"] = self("channel." + key.rsplit(".", 1)[1])
            key = "kpi.acute_channel_share"
        text = self._table.get(key, _EN.get(key))
        if text is None:
            return key.split(".", 1)[-1]
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        """Whether ``lang``'s own table has ``key`` (no fallback to English)."""
        return key in self._table

    def kpi(self, kpi_id: str) -> str:
        """Label of a KPI id, e.g. « Délai médian pour un rendez-vous programmé (jours) »."""
        return self("kpi." + kpi_id)

    def channel(self, name: str) -> str:
        """Label of an outcome channel, e.g. ``own_gp`` → « Son médecin traitant »."""
        return self("channel." + name)

    def num(self, x: float, digits: int = 1, signed: bool = False) -> str:
        """« 4,1 », « −1,3 », « +0,2 », « 1 234 » (fr) or « 4.1 », « 1,234 » (en); NaN → « — »."""
        if x is None or not math.isfinite(float(x)):
            return "—"
        x = round(float(x), digits)
        s = f"{abs(x):,.{digits}f}"
        if self.lang == "fr":
            s = s.replace(",", "\u202f").replace(".", ",")
        if x < 0:
            return "\u2212" + s
        return ("+" + s) if signed and x > 0 else s

    def pct(self, share: float, digits: int = 1, signed: bool = False) -> str:
        """A 0–1 share as a percentage: « 42,0 % » (fr) or « 42.0% » (en)."""
        if share is None or not math.isfinite(float(share)):
            return "—"
        return self.num(100 * float(share), digits, signed) + self("fmt.pct")

    def unit(self, unit: str, x: float) -> str:
        """Unit word agreeing with ``x``: « 1,3 jour », « 2,8 jours » (fr: singular below 2)."""
        forms = self("unit." + unit)
        if "|" not in forms:
            return unit
        one, many = forms.split("|", 1)
        ax = abs(x) if x is not None and math.isfinite(float(x)) else 2.0
        singular = ax < 2 if self.lang == "fr" else ax == 1
        return one if singular else many


def translator(lang: str = "fr") -> Translator:
    """The translation function for ``lang`` (``"fr"`` by default, or ``"en"``)."""
    return Translator(lang)


def digits_for(unit: str) -> int:
    """Decimals shown for a unit (shares are shown in % with one decimal)."""
    return {"consultations/inhabitant/year": 2}.get(unit, 1)


#: Locale registered in the page so plotly's dates and buttons are French.
PLOTLY_LOCALE_FR = (
    'Plotly.register({moduleType:"locale",name:"fr",dictionary:{\n'
    '"Autoscale":"Échelle automatique","Box Select":"Sélection rectangulaire",'
    '"Double-click to zoom back out":"Double-cliquez pour dézoomer",\n'
    '"Download plot as a png":"Télécharger le graphique en PNG","Lasso Select":"Sélection lasso",'
    '"Pan":"Translation",\n'
    '"Reset axes":"Réinitialiser les axes","Reset view":"Réinitialiser","Zoom":"Zoom",'
    '"Zoom in":"Zoom avant","Zoom out":"Zoom arrière",\n'
    '"Toggle Spike Lines":"Afficher/masquer les lignes de repère",'
    '"Show closest data on hover":"Donnée la plus proche au survol",\n'
    '"Compare data on hover":"Comparer les données au survol"},\n'
    'format:{days:["Dimanche","Lundi","Mardi","Mercredi","Jeudi","Vendredi","Samedi"],shortDays:["Dim",'
    '"Lun","Mar","Mer","Jeu","Ven","Sam"],\n'
    'months:["Janvier","Février","Mars","Avril","Mai","Juin","Juillet","Août","Septembre","Octobre",'
    '"Novembre","Décembre"],\n'
    'shortMonths:["Janv.","Févr.","Mars","Avr.","Mai","Juin","Juil.","Août","Sept.","Oct.","Nov.","Déc."],'
    '\n'
    'date:"%d/%m/%Y",decimal:",",thousands:"\\u202f"}});'
)
