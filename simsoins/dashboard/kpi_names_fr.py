"""The names of the KPIs in French (key ``kpi.<id>``), merged into the dashboard's
labels (:mod:`simsoins.dashboard.labels_fr`); the ids are those of
:data:`simsoins.results.kpis.KPI_UNITS`."""

from __future__ import annotations

KPI_FR: dict[str, str] = {
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
    "kpi.consultations_per_gp_week": "Consultations par médecin et par semaine",
    "kpi.sas_answer_minutes_mean": "SAS : délai moyen de réponse aux appels décrochés (minutes)",
    "kpi.sas_abandoned_share": "SAS : appels abandonnés avant réponse (%)",
    "kpi.clinician_utilisation": "Taux d'occupation des médecins (%)",
    "kpi.no_show_share": "Rendez-vous non honorés (%)",
    # doses (dashboard/doses.py, results/dose.py)
    "kpi.gp_slots_offered_per_week": "Créneaux de médecine générale offerts par semaine",
    "kpi.gp_requests_per_week": "Demandes de médecine générale par semaine (programmées et non programmées)",
    "kpi.er_wait_minutes_mean": "Attente moyenne aux urgences (minutes)",
    # cost-effectiveness (results/costs.py, results/cost_kpis.py; docs/model.md §6)
    "kpi.routine_time_to_care_days_mean": "Délai moyen d'accès aux soins programmés, toutes demandes (jours)",
    "kpi.routine_requests_per_year": "Demandes de soins programmés par an",
    "kpi.public_cost_eur_per_year": "Coût public des leviers par an, écart à la situation actuelle (€)",
    "kpi.wait_days_avoided_per_year": "Jours d'attente de soins programmés évités par an",
    "kpi.gave_up_avoided_per_year": "Renoncements aux soins programmés évités par an",
    "kpi.avoidable_er_visits_avoided_per_year": "Passages évitables aux urgences évités par an",
    "kpi.cost_eur_per_wait_day_avoided": "Coût public par jour d'attente évité (€)",
    "kpi.cost_eur_per_gave_up_avoided": "Coût public par renoncement évité (€)",
    "kpi.cost_eur_per_avoidable_er_visit_avoided": "Coût public par passage évitable aux urgences évité (€)",
    "kpi.er_cost_avoided_eur_per_year": "Économie de passages aux urgences évités par an, non déduite (€)",
}
