"""The dashboard's English labels and sentences, the option ``lang="en"``: key → text (the
same keys as labels_fr.py)."""

from __future__ import annotations

from simsoins.dashboard.kpi_names_en import KPI_EN

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
    "fig.weekly.er_wait_hours_mean": "Mean emergency department wait per week (minutes)",
    "fig.weekly.routine_wait_days_mean": "Mean wait for a scheduled appointment, by week of request (days)",
    "fig.weekly.without_mt_share": "Patients without a regular doctor, by week (% of patients)",
    "fig.weekly.x": "Week",
    "fig.years": "Trajectory year by year: mean over replications and 95 % CI",
    "fig.years.note": ("Intervals of each scenario's level; the difference between two scenarios, paired (the same "
                       "patients), is much tighter: years.csv gives it with its interval."),
    "fig.years.year": "year",
    "fmt.month_year": "%m/%Y",
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
    "er_sites.col.wait_hours_mean": "Mean wait (minutes)",
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
    "unit.slots/week": "slot per week|slots per week", "unit.requests/week": "request per week|requests per week",
    "dose.title": "Doses: slots added per week",
    "dose.intro": ("GP-type slots (one slot = one consultation) added per week over the measured period, difference "
                   "to the baseline (ramps, departures, leave included), plus the requests avoided; « organisational "
                   "»: the lever moves slots without adding any (CPTS, SAS)."),
    "col.scenario": "Scenario", "dose.col.slots": "Slots per week [95% CI]", "dose.col.kind": "Kind",
    "dose.col.per_100k": "Per 100,000 inhabitants", "dose.col.share": "Share of the baseline's slots",
    "dose.col.effect": "{kpi}: effect per 100 slots per week", "dose.kind.capacity": "capacity",
    "dose.kind.demand": "demand avoided", "dose.kind.organisational": "organisational",
    # the ranking and the warnings box (dashboard/ranking.py, warnings.py)
    "section.ranking": "Ranking of the scenarios",
    "intro.ranking": ("Each row compares a scenario with the current situation: paired difference by replication "
                      "[95 % CI] and verdict. \"better\" or \"worse\": a difference shown at the 5 % level; "
                      "\"no difference shown\": the interval does not allow a conclusion (it is not proof of no "
                      "effect). Click a header to sort (the first click puts the best first)."),
    "ranking.capped": "{size} = {applied} (asked: {asked}, the territory's limit)",
    "ranking.col.dose": "Dose (slots/week per 100,000 inh.; lever size)",
    "ranking.col.routine_time_to_care_days_median": "Median time to scheduled care (days)",
    "ranking.col.routine_seen_within_7d_share": "Seen within 7 days (points)",
    "ranking.col.routine_gave_up_share": "Gave up (points)",
    "ranking.col.acute_within_48h_share": "Acute seen within 48 h (points)",
    "ranking.col.er_visits_per_1000_year": "ER visits (per 1,000 inhabitants a year)",
    "ranking.col.er_avoidable_visits_per_1000_year": "Avoidable ER visits (per 1,000 inhabitants a year)",
    "ranking.col.routine_wait_days_median": "Median wait of booked appointments (days)",
    "ranking.col.routine_within_7d_share": "Booked within 7 days (points)",
    "ranking.col.who": "Who gains",
    "ranking.dose": "{n}",
    "ranking.verdict.better": "better",
    "ranking.verdict.worse": "worse",
    "ranking.verdict.ns": "no difference shown",
    "ranking.verdict.different": "difference shown",
    "ranking.gain": "{n} inhabitants gain {d}",
    "ranking.loss": "{n} inhabitants lose {d}",
    "ranking.holm": ("Verdicts and colours: difference at the 5 % level after Holm's correction over each row's {n} "
                     "indicators (one row = one family of tests, as each headline table); \"pp\": percentage "
                     "points."),
    "ranking.who": ("Who gains: for each commune, the paired difference (scenario − {baseline}, same replication) "
                    "of its residents' median time to scheduled care, mean over replications with its 95 % CI. "
                    "\"X inhabitants gain Y days\": X = population of the communes whose difference is negative "
                    "with its 95 % CI wholly below 0; Y = their population-weighted mean gain. \"lose\": the same "
                    "for communes whose CI is wholly above 0. No correction for the number of communes: among "
                    "hundreds, a few may stand out by chance. \"—\": no such commune."),
    "unit.minutes": "minute|minutes",
    "warn.no_baseline": ("No baseline in this comparison: every difference is measured against « {scenario} ». To "
                         "compare with the current situation, add it to the sweep (scenario=baseline,…)."),
    "warn.title": "Warnings",
    "warn.few_reps": ("Only {n} replication(s) per scenario (fewer than {min}): the confidence intervals are "
                      "unreliable (wide and unstable); run again with run.replications={min} or more."),
    "warn.short_run": ("Measured period of {days} days, under a year: not every season is covered (summer leave "
                       "and winter epidemics weigh on waits); the means do not hold for a year."),
    "warn.synthetic": ("Synthetic territory: communes, practices and distances are made up for the example; no "
                       "figure on this page describes a real territory."),
    "warn.capped": ("{scenario}: {size} asked {asked}, capped to {applied} (the territory's limit: {limit}); the "
                    "results hold for {applied}."),
    # the maps (dashboard/maps.py)
    "map.outline": "Département boundaries",
    "map.er.legend": "Red diamonds: emergency departments, sized by visits (hover: visits per year)",
    "map.er.per_year": "Visits per year [95% CI]",
    "map.er.per_period": "Visits over the measured period [95% CI]",
    "map.diff": "Difference scenario − baseline by commune<br>{wait} (days)",
    "map.diff.note": ("Mean of the paired differences by replication; faded: difference not shown (95% CI "
                      "contains 0); size: population"),
    "map.diff.bar": "Difference ({unit})<br>blue: shorter,<br>better<br>red: longer,<br>worse",
    "map.diff.value": "Scenario {scenario}",
    "map.diff.base": "Reference",
    "map.diff.diff": "Difference [95% CI]",
    "map.diff.ns": "difference not shown (the interval contains 0)",
    "map.area.communes": "Communes",
    "map.view.communes": "{scenario} — by commune",
    "map.view.epci": "{scenario} — by EPCI (population-weighted mean)",
    "map.view.bassin_vie": "{scenario} — by bassin de vie (population-weighted mean)",
    # the Sankey and the weekly figures (dashboard/sankey.py, figures.py)
    "fig.sankey.need": "Need",
    "fig.sankey.first": "First channel tried",
    "fig.sankey.outcome": "Outcome of the request",
    "fig.sankey.note": ("Share of the requests beside each step. To stay visible, a step below {share} of the "
                        "requests is drawn at {share}: exact values on hover."),
    "fig.weekly.partial": ("Whole weeks only: {n} partial week(s) at the start or end of the measured period are "
                           "not drawn (a total over a few days is not a weekly total)."),
    # scenario titles from their parameters, the console table (dashboard/titles.py, console.py)
    "title.reference": "Reference ({territory})", "title.reference_bare": "Reference",
    "title.cpts": "CPTS: {pool} % of slots shared",
    "title.cpts_campaign": ", an MT for {share} % of patients without one",
    "title.assistants_medicaux": "Medical assistants for {count} GP{s}",
    "title.docteurs_juniors": "{count} junior doctor{s} a cohort",
    "title.nouveau_centre": "New {kind} with {gps} GP{s}", "title.kind.centre_sante": "health centre",
    "title.kind.msp": "MSP",
    "title.hopital_proximite": "Local hospital: {doctors} doctor{s} on duty",
    "title.teleconsultation": "Teleconsultation: +{extra} slot{s} an hour", "title.tele_cabines": ", {n} cabin{s}",
    "title.medicobus": "Medicobus: {stops} stop{s} a week",
    "title.sas": "SAS: {peak} regulator{s} at the busiest hour",
    "title.departs_retraite": "{count} GP{s} leaving, not replaced",
    "title.france_sante": "France Santé label: {count} structure{s}",
    "title.missions_solidarite": "Solidarity missions: {volunteers} volunteer GP{s}, {days} day{ds} a month",
    "title.prevention": "Prevention (hypothesis): {parts}", "title.prevention.routine": "−{x} % routine requests",
    "title.prevention.acute": "−{x} % acute requests", "title.prevention.emergency": "−{x} % ER visits",
    "title.per_100k": " ({per} per 100,000 inhabitants)",
    # the console's table (dashboard/console.py)
    "console.mean": "{scenario} mean [95% CI]",
    "console.heading": ("simsoins — {territory} — {reps} replications × {days} days (after {warmup} days of "
                        "warm-up), seed {seed}"),
    "console.results": "Results: {out}  ({files})",
    # « Limites et sources » (dashboard/sources.py)
    "section.sources": "Limits and sources",
    "intro.sources": ("What the model leaves out or approximates by a rule, then the public data the real territories "
                      "(Loir-et-Cher, any département) and the calibration are built on. A synthetic or user-supplied "
                      "territory has its own data."),
    "sources.limits": "Limits of the model",
    "sources.data": "Data sources",
    "sources.col.what": "Data", "sources.col.source": "Source", "sources.col.year": "Year",
    "sources.more": ("Details: docs/model.md (§8 \"Assumptions where public data stop\", §9), docs/calibration.md "
                     "and docs/calibration-sources.md in the simsoins repository."),
    "limit.age": ("Age structure: the département's (INSEE 2025) in every commune; the model has no age pyramid "
                  "per commune."),
    "limit.er_closures": ("Emergency departments: the units open in 2022 (SAE 2022), at their commune's centre, "
                          "staffed per hour by a rule (85 % occupancy); closures and access regulation (nights, "
                          "weekends) since 2022 are not reproduced."),
    "limit.gp_places": ("Where GPs practise: the communes where the 2020 BPE counts them, in proportion, scaled "
                        "to the 2024 head count (a rule: no public list of practices)."),
    "limit.calibration": ("Calibrated on Loir-et-Cher: three uncertain parameters (patience, trying again, share "
                          "of slots held for the same day) are fitted there to national DREES figures; elsewhere "
                          "they are used as they are."),
    "limit.outside": ("Outside the public tolerances: the median wait to see a GP (4 days simulated, 2 per DREES) "
                      "and consultations per GP per week (≈ 83 simulated, ≈ 109 per CNAM for a full-time GP)."),
    "limit.time_to_care": ("The DREES waits count the appointments obtained; the time to care over every request "
                           "(giving up included) has no public figure to validate it."),
    "limit.not_modelled": ("Not modelled: home visits, specialists, nurses and pharmacists; patients consulting "
                           "outside the territory; public holidays; GPs opening more same-day slots as waits "
                           "grow; cancellations and freed slots."),
    "limit.intervals": ("The 95 % confidence intervals measure the simulation's randomness (replications), not the "
                        "uncertainty of the parameters: see the sensitivity study (+experiment=sensibilite)."),
    "source.population": "Commune populations | INSEE, populations légales (1 January 2025 geography) | 2025",
    "source.centroids": "Commune positions | IGN, Admin Express COG (area-weighted centroid) | 2018",
    "source.gps_bpe": ("Communes where GPs practise | INSEE, Base permanente des équipements (D201), via the "
                       "Observatoire des territoires (ANCT) | 2020"),
    "source.gps_ameli": "Self-employed GPs by département | data.ameli.fr (Assurance Maladie) | 2024",
    "source.age": "Population by age band | INSEE, population estimates at 1 January | 2025",
    "source.apl": "GP care used by age | DREES/Cnam, weights of the APL indicator | 2023",
    "source.er_sites": "Emergency units | DREES, SAE 2022 (URGENCES2, ID, SMURSAMU) | 2022",
    "source.outlines": "Département outlines | IGN, simplified version (france-geojson) | —",
    "source.waits": ("Waits to see a GP (calibration targets) | DREES, Études et résultats no. 1085 (Constances "
                     "cohort 2016-17) | 2018"),
    "source.er_visits": "ER visits | DREES, Études et résultats no. 1320 (20.9 M visits) | 2023",
    "source.er_avoidable": ("Avoidable ER visits | Yordanov et al.; DREES 2013 survey; Cour des comptes 2017 "
                            "| 2013-2019"),
    "source.without_mt": "Patients without a médecin traitant | CNAM | 2021",
    "source.gp_activity": "GP activity (consultation length, leave, acts a year) | DREES, panel 4; CNAM | 2019",
    "source.tele": "GP teleconsultations | DREES, Études et résultats no. 1249 | 2022",
    "unit.EUR/year": "euro per year|euros per year", "unit.EUR/day": "euro per day|euros per day",
    "unit.EUR/request": "euro per request|euros per request", "unit.EUR/visit": "euro per visit|euros per visit",
    "unit.days/year": "day per year|days per year", "unit.requests/year": "request per year|requests per year",
    "cost.title": "Public cost", "cost.no_gain": "no gain: no cost per unit gained",
    "unit.visits/year": "visit per year|visits per year",
    **KPI_EN,
}
