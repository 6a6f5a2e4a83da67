"""Labels, sentences and number formatting of the dashboard (« libellés »).

French is the default (the planners' language); English is the option ``lang="en"``.
:func:`translator` returns a :class:`Translator`, a callable ``t(key, **fields)`` that
also formats numbers the local way (decimal comma and narrow no-break space in French:
« 1 234,5 »; « 1,234.5 » in English).  Unknown keys fall back to English, then to the
key itself, so a new KPI id shows up under its id rather than breaking the page.
"""

from __future__ import annotations

import math

from simsoins.dashboard.plotly_locale import PLOTLY_LOCALE_FR  # noqa: F401 (re-exported for the page)
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
                       "[intervalle de confiance à 95 %] et différence appariée scénario − référence. "
                       "{time_to_care}"),
    "intro.headline_alone": ("Seule la situation de référence a été simulée : indicateurs clés et intervalles de "
                             "confiance à 95 %. {time_to_care}"),
    "intro.time_to_care": ("Les délais d'accès aux soins comptent toutes les demandes : une demande abandonnée ou "
                           "partie aux urgences compte comme en attente jusqu'à ce moment (Kaplan–Meier), et les "
                           "parts « vues sous 7 jours » la comptent comme non vue."),
    "intro.routine": ("Délai entre la demande et le rendez-vous, pour les demandes de soins programmés qui en ont "
                      "obtenu un (hors renoncements, comptés dans les résultats principaux)."),
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
    "subject.routine_time_to_care_days_median": ("Le délai médian d'accès aux soins programmés (toutes les demandes, "
                                                 "renoncements compris)"),
    "subject.routine_time_to_care_days_p90": ("Le délai d'accès aux soins programmés que 90 % des demandes ne "
                                              "dépassent pas (toutes les demandes)"),
    "subject.routine_seen_within_7d_share": ("La part des demandes programmées vues par un médecin sous 7 jours "
                                             "(toutes les demandes)"),
    "subject.routine_gave_up_share": "La part des demandes programmées abandonnées (renoncement)",
    "subject.er_visits_per_1000_year": "Le nombre de passages aux urgences",
    "subject.routine_wait_days_median": "Le délai médian des rendez-vous programmés obtenus (hors renoncements)",
    "subject.routine_wait_days_mean": "Le délai moyen des rendez-vous programmés obtenus (hors renoncements)",
    "subject.routine_wait_days_p90": "Le 90e centile du délai des rendez-vous programmés obtenus (hors renoncements)",
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
    "kpi.routine_time_to_care_days_median": "Délai d'accès aux soins programmés, médiane, toutes demandes (jours)",
    "kpi.routine_time_to_care_days_p90": "Délai d'accès aux soins programmés, 90e centile, toutes demandes (jours)",
    "kpi.routine_seen_within_2d_share": "Demandes programmées vues par un médecin sous 2 jours, toutes demandes (%)",
    "kpi.routine_seen_within_7d_share": "Demandes programmées vues par un médecin sous 7 jours, toutes demandes (%)",
    "kpi.gp_time_to_care_days_median": ("Délai d'accès à un médecin généraliste (programmé ou non), médiane, toutes "
                                        "demandes (jours)"),
    "kpi.gp_time_to_care_days_p90": ("Délai d'accès à un médecin généraliste (programmé ou non), 90e centile, toutes "
                                     "demandes (jours)"),
    "kpi.routine_wait_days_median": "Délai médian des rendez-vous programmés obtenus, hors renoncements (jours)",
    "kpi.routine_wait_days_mean": "Délai moyen des rendez-vous programmés obtenus, hors renoncements (jours)",
    "kpi.routine_wait_days_p90": "Délai des rendez-vous programmés obtenus, 90e centile, hors renoncements (jours)",
    "kpi.routine_within_2d_share": "Demandes programmées avec un rendez-vous sous 2 jours de calendrier (%)",
    "kpi.routine_within_7d_share": "Demandes programmées avec un rendez-vous sous 7 jours de calendrier (%)",
    "kpi.routine_gave_up_share": "Renoncement aux soins programmés (%)",
    "kpi.acute_same_day_share": "Soins non programmés : médecin vu le jour même (%)",
    "kpi.acute_within_48h_share": "Soins non programmés : médecin vu sous 48 h (%)",
    "kpi.acute_channel_share": "Soins non programmés orientés vers : {channel} (%)",
    "kpi.er_visits_per_1000_year": "Passages aux urgences (pour 1 000 habitants par an)",
    "kpi.er_avoidable_visits_per_1000_year": "Passages évitables aux urgences (pour 1 000 habitants par an)",
    "kpi.er_avoidable_share": "Part évitable des passages aux urgences (%)",
    "kpi.er_wait_hours_mean": "Attente moyenne aux urgences (heures)",
    "kpi.gp_consultations_per_inhabitant_year": "Consultations de médecine générale (par habitant et par an)",
    "kpi.gp_wait_days_median": ("Délai médian des consultations de médecine générale obtenues, hors renoncements "
                                "(jours)"),
    "kpi.gp_wait_days_mean": "Délai moyen des consultations de médecine générale obtenues, hors renoncements (jours)",
    "kpi.gp_within_2d_share": "Consultations de médecine générale obtenues sous 2 jours, parmi les obtenues (%)",
    "kpi.gp_within_1d_share": "Consultations de médecine générale obtenues sous 1 jour, parmi les obtenues (%)",
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
    "channel.sas_advice": "Conseil du SAS (sans consultation)",
    "fig.ecdf": ("Délai des rendez-vous programmés obtenus (hors renoncements) : part obtenue en x jours ou moins "
                 "(jours ; %)"),
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
    "fig.age.wait": "{wait} (jours)",
    "fig.age.acute": "Soins non programmés vus sous 48 h (%)",
    "fig.age.x": "Tranche d'âge (ans)",
    "fig.map": "{wait} par commune de résidence (jours ; taille : population)",
    "fig.map.pop": "Population",
    "fig.map.value": "Délai",
    "fig.map.days": "jours",
    "fig.map.x": "Longitude (°)",
    "fig.map.y": "Latitude (°)",
    "fig.clinicians": "Taux d'occupation des médecins : créneaux réservés / créneaux offerts, par médecin (%)",
    "fig.clinicians.y": "Taux d'occupation (%)",
    "fig.channels": "Taux d'occupation de la téléconsultation et de la garde du soir (% des créneaux offerts, IC 95 %)",
    "fig.channels.y": "Créneaux réservés / offerts (%)",
    "fig.mean": "moyenne",
    "table.communes": "Les {n} communes au délai le plus long dans la situation de référence — {wait} (jours)",
    "wait.routine_time_to_care_days_median": "Délai médian d'accès aux soins programmés, toutes demandes",
    "wait.routine_wait_days_mean": "Délai moyen des rendez-vous programmés obtenus, hors renoncements",
    "table.commune": "Commune",
    # doses (dashboard/doses.py, results/dose.py)
    "kpi.gp_slots_offered_per_week": "Créneaux de médecine générale offerts par semaine",
    "kpi.gp_requests_per_week": "Demandes de médecine générale par semaine (programmées et non programmées)",
    "unit.slots/week": "créneau par semaine|créneaux par semaine",
    "unit.requests/week": "demande par semaine|demandes par semaine",
    "dose.title": "Doses : créneaux ajoutés par semaine",
    "dose.intro": ("Créneaux de médecine générale (un créneau = une consultation) ajoutés par semaine sur la période "
                   "mesurée, écart à la référence (montée en charge, départs, congés compris), plus les demandes "
                   "évitées ; « organisationnel » : le levier déplace des créneaux sans en ajouter (CPTS, SAS)."),
    "col.scenario": "Scénario", "dose.col.slots": "Créneaux par semaine [IC 95 %]", "dose.col.kind": "Nature",
    "dose.col.per_100k": "Pour 100 000 habitants", "dose.col.share": "Part des créneaux de référence",
    "dose.col.effect": "{kpi} : effet pour 100 créneaux par semaine", "dose.kind.capacity": "capacité",
    "dose.kind.demand": "demande évitée", "dose.kind.organisational": "organisationnel",
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
                       "interval] and paired difference scenario − baseline. {time_to_care}"),
    "intro.headline_alone": ("Only the baseline was simulated: key indicators with 95% confidence intervals. "
                             "{time_to_care}"),
    "intro.time_to_care": ("Times to care count every request: one that gave up or went to the emergency department "
                           "counts as waiting until then (Kaplan–Meier), and the \"seen within 7 days\" shares count "
                           "it as not seen."),
    "intro.routine": ("Time from request to appointment, for the scheduled (routine) care requests that got one "
                      "(excluding those who gave up, counted in the headline results)."),
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
    "subject.routine_time_to_care_days_median": "The median time to scheduled care (every request, gave-ups included)",
    "subject.routine_time_to_care_days_p90": "The time to scheduled care that 90% of requests do not exceed",
    "subject.routine_seen_within_7d_share": "The share of scheduled requests seen by a doctor within 7 days",
    "subject.routine_gave_up_share": "The share of scheduled requests given up",
    "subject.er_visits_per_1000_year": "The number of emergency visits",
    "subject.routine_wait_days_median": "The median wait of the scheduled appointments obtained (excluding gave-ups)",
    "subject.routine_wait_days_mean": "The mean wait of the scheduled appointments obtained (excluding gave-ups)",
    "subject.routine_wait_days_p90": "The 90th percentile wait of the scheduled appointments obtained",
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
    "kpi.routine_time_to_care_days_median": "Time to scheduled care, median, all requests (days)",
    "kpi.routine_time_to_care_days_p90": "Time to scheduled care, 90th percentile, all requests (days)",
    "kpi.routine_seen_within_2d_share": "Scheduled requests seen by a doctor within 2 days, all requests (%)",
    "kpi.routine_seen_within_7d_share": "Scheduled requests seen by a doctor within 7 days, all requests (%)",
    "kpi.gp_time_to_care_days_median": "Time to a GP (scheduled or not), median, all requests (days)",
    "kpi.gp_time_to_care_days_p90": "Time to a GP (scheduled or not), 90th percentile, all requests (days)",
    "kpi.routine_wait_days_median": "Median wait of scheduled appointments obtained, excluding gave-ups (days)",
    "kpi.routine_wait_days_mean": "Mean wait of scheduled appointments obtained, excluding gave-ups (days)",
    "kpi.routine_wait_days_p90": "Wait of scheduled appointments obtained, 90th percentile, excluding gave-ups (days)",
    "kpi.routine_within_2d_share": "Scheduled requests with an appointment within 2 calendar days (%)",
    "kpi.routine_within_7d_share": "Scheduled requests with an appointment within 7 calendar days (%)",
    "kpi.routine_gave_up_share": "Gave up on scheduled care (%)",
    "kpi.acute_same_day_share": "Unscheduled care: seen the same day (%)",
    "kpi.acute_within_48h_share": "Unscheduled care: seen within 48 h (%)",
    "kpi.acute_channel_share": "Unscheduled care going to: {channel} (%)",
    "kpi.er_visits_per_1000_year": "Emergency visits (per 1,000 inhabitants per year)",
    "kpi.er_avoidable_visits_per_1000_year": "Avoidable emergency visits (per 1,000 inhabitants per year)",
    "kpi.er_avoidable_share": "Avoidable share of emergency visits (%)",
    "kpi.er_wait_hours_mean": "Mean emergency department wait (hours)",
    "kpi.gp_consultations_per_inhabitant_year": "GP consultations (per inhabitant per year)",
    "kpi.gp_wait_days_median": "Median wait of GP consultations obtained, excluding gave-ups (days)",
    "kpi.gp_wait_days_mean": "Mean wait of GP consultations obtained, excluding gave-ups (days)",
    "kpi.gp_within_2d_share": "GP consultations obtained within 2 days, of those obtained (%)",
    "kpi.gp_within_1d_share": "GP consultations obtained within 1 day, of those obtained (%)",
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
    "channel.sas_advice": "SAS advice (no consultation)",
    "fig.ecdf": "Wait of the scheduled appointments obtained (excluding gave-ups): share within x days (days; %)",
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
    "fig.age.wait": "{wait} (days)",
    "fig.age.acute": "Unscheduled care seen within 48 h (%)",
    "fig.age.x": "Age band (years)",
    "fig.map": "{wait} by commune of residence (days; size: population)",
    "fig.map.pop": "Population",
    "fig.map.value": "Wait",
    "fig.map.days": "days",
    "fig.map.x": "Longitude (°)",
    "fig.map.y": "Latitude (°)",
    "fig.clinicians": "Clinician utilisation: booked / offered slots, per clinician (%)",
    "fig.clinicians.y": "Utilisation (%)",
    "fig.channels": "Teleconsultation and evening service utilisation (% of offered slots, 95% CI)",
    "fig.channels.y": "Booked / offered slots (%)",
    "fig.mean": "mean",
    "table.communes": "The {n} communes with the longest wait in the baseline — {wait} (days)",
    "wait.routine_time_to_care_days_median": "Median time to scheduled care, all requests",
    "wait.routine_wait_days_mean": "Mean wait of scheduled appointments obtained, excluding gave-ups",
    "table.commune": "Commune",
    # doses (dashboard/doses.py, results/dose.py)
    "kpi.gp_slots_offered_per_week": "GP-type slots offered per week",
    "kpi.gp_requests_per_week": "GP-type requests per week (routine and acute)",
    "unit.slots/week": "slot per week|slots per week", "unit.requests/week": "request per week|requests per week",
    "dose.title": "Doses: slots added per week",
    "dose.intro": ("GP-type slots (one slot = one consultation) added per week over the measured period, difference "
                   "to the baseline (ramps, departures, leave included), plus the requests avoided; « organisational "
                   "»: the lever moves slots without adding any (CPTS, SAS)."),
    "col.scenario": "Scenario", "dose.col.slots": "Slots per week [95% CI]", "dose.col.kind": "Kind",
    "dose.col.per_100k": "Per 100,000 inhabitants", "dose.col.share": "Share of the baseline's slots",
    "dose.col.effect": "{kpi}: effect per 100 slots per week", "dose.kind.capacity": "capacity",
    "dose.kind.demand": "demand avoided", "dose.kind.organisational": "organisational",
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
