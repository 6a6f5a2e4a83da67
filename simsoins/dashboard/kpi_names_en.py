"""The names of the KPIs in English (key ``kpi.<id>``), merged into the dashboard's
labels (:mod:`simsoins.dashboard.labels_en`); the ids are those of
:data:`simsoins.results.kpis.KPI_UNITS`."""

from __future__ import annotations

KPI_EN: dict[str, str] = {
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
    "kpi.consultations_per_gp_week": "Consultations per GP per week",
    "kpi.sas_answer_minutes_mean": "SAS: mean time to answer the calls answered (minutes)",
    "kpi.sas_abandoned_share": "SAS: calls abandoned before an answer (%)",
    "kpi.clinician_utilisation": "Clinician utilisation (%)",
    "kpi.no_show_share": "Missed appointments (%)",
    # doses (dashboard/doses.py, results/dose.py)
    "kpi.gp_slots_offered_per_week": "GP-type slots offered per week",
    "kpi.gp_requests_per_week": "GP-type requests per week (routine and acute)",
    "kpi.er_wait_minutes_mean": "Mean ER wait (minutes)",
    # cost-effectiveness (results/costs.py, results/cost_kpis.py; docs/model.md §6)
    "kpi.routine_time_to_care_days_mean": "Mean time to scheduled care, every request (days)",
    "kpi.routine_requests_per_year": "Scheduled-care requests per year",
    "kpi.public_cost_eur_per_year": "Public cost of the levers per year, against the current situation (€)",
    "kpi.wait_days_avoided_per_year": "Days of waiting for scheduled care avoided per year",
    "kpi.gave_up_avoided_per_year": "Scheduled-care requests given up avoided per year",
    "kpi.avoidable_er_visits_avoided_per_year": "Avoidable emergency department visits avoided per year",
    "kpi.cost_eur_per_wait_day_avoided": "Public cost per day of waiting avoided (€)",
    "kpi.cost_eur_per_gave_up_avoided": "Public cost per request given up avoided (€)",
    "kpi.cost_eur_per_avoidable_er_visit_avoided": "Public cost per avoidable ED visit avoided (€)",
    "kpi.er_cost_avoided_eur_per_year": "Cost of ED visits avoided per year, not deducted (€)",
}
