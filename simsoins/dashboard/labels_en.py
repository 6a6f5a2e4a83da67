"""The dashboard's English labels and sentences, the option ``lang="en"``: key → text (the
same keys as labels_fr.py)."""

from __future__ import annotations

EN: dict[str, str] = {
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
    "intro.time": ("Week of request. Waits peak in July–August, when many GPs take their summer leave (the "
                   "model's rule, no locums); the winter rise in demand weighs much less."),
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
    "channel.sas_advice": "SAS medical advice by phone (no consultation)",
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
    # what is still a rule (dashboard/places.py; the ids: simsoins/territory/rules.py)
    "rules.title": "What is still an assumption on this map",
    "rules.intro": "These parts of the simulated territory come from a rule of the model, not from public data "
                   "(docs/france.md):",
    "rule.communes_at_centroid": (
        "Every inhabitant of a commune is placed at the commune's centroid (IGN outline), not where "
        "people live; road distance = 1.3 × straight-line distance."),
    "rule.gps_scaled_from_2020": (
        "GPs per commune: INSEE BPE 2020 counts at the place of practice, scaled to the "
        "département's 2024 head count (data.ameli.fr) by largest remainder."),
    "rule.gp_practice_grouping": (
        "The GPs of a commune are grouped into practices of at most 5 (3 or more = a maison de "
        "santé); where each GP works is not public as a table."),
    "rule.plm_gp_split": (
        "Paris, Lyon and Marseille: the city's GPs are split over its arrondissements in "
        "proportion to population."),
    "rule.gp_schedules": (
        "Schedules: 9 half-days a week (70 % weekdays, 30 % with Saturday morning); GPs with a "
        "particular practice (MEP) 6 half-days."),
    "rule.er_rosters": (
        "ER doctors per hour follow the model's staffing rule from expected arrivals; rosters are "
        "not public."),
    "rule.er_site_at_centroid": (
        "ER sites are the general units open in 2022 (DREES SAE), placed at their commune's centroid "
        "(units of one commune are one site); paediatric units and closures since are not modelled."),
    "rule.evening_care_sites": (
        "Evening and weekend care (PDSA): one doctor per 110,000 inhabitants in the ER towns."),
    "rule.age_structure_departement": (
        "Each commune takes its département's age structure (INSEE 2025): no commune-level age "
        "table is carried."),
    "rule.without_mt_share": (
        "Residents without a médecin traitant at the start: one share for the whole territory."),
    "rule.closed_border": (
        "Nobody crosses the territory's outer border for a GP or an ER; simulate the neighbours "
        "with it (territory.code=[41,37,45]) where that matters."),
    # ER sites (dashboard/places.py)
    "er_sites.title": "Where the emergency visits go",
    "er_sites.intro": ("Visits per emergency site over the measured period (after the warm-up), mean over "
                       "replications; change: paired difference to the baseline by replication [95% CI]. Avoidable "
                       "visit: a patient primary care could have seen (unscheduled care that walked in or found no "
                       "GP slot)."),
    "er_sites.col.site": "Emergency site",
    "er_sites.col.visits": "Visits",
    "er_sites.col.avoidable_visits": "Avoidable visits",
    "er_sites.col.wait_hours_mean": "Mean wait (hours)",
    "er_sites.col.base": "{what}: baseline",
    "er_sites.col.diff": "{what}: change [95% CI]",
    "er_sites.more": "… and {n} more sites, less busy in the baseline (er_sites.parquet lists them all).",
    # communes' consultations and simulated accessibility (results/communes.py)
    "fig.access_map": ("Simulated accessibility by commune: consultations accessible per standardised inhabitant "
                       "per year"),
    "fig.access_map.value": "Accessibility",
    "fig.access_map.unit": "consult./std inh./yr",
    "table.consultations": "Consultations per inhabitant per year ({scenario})",
    "table.access": "Simulated accessibility ({scenario})",
    "intro.access": ("Simulated accessibility: the APL formula (DREES/Cnam) applied to the consultations the "
                     "simulation gave in each practice; travel minutes = road km at 60 km/h (assumption); weight 1 "
                     "under 10 min, 2/3 from 10 to 15, 1/3 from 15 to 20, 0 beyond; population standardised by age "
                     "(DREES/Cnam 2023 weights). Practices outside the territory do not count."),
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
    # --- ranking ---
    # (end of ranking)
    # --- maps ---
    # (end of maps)
    # --- figures ---
    # (end of figures)
    # --- titles ---
    # (end of titles)
    # --- page ---
    # (end of page)
    # --- docs ---
    # the France sweep's page (simsoins/tools/france_report.py; KPI names are the kpi.* labels)
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
    # (end of docs)
}
