"""The dashboard's French labels and sentences (« libellés »), the default language: key → text
(fields in braces are filled by :class:`simsoins.dashboard.i18n.Translator`)."""

from __future__ import annotations

from simsoins.dashboard.kpi_names_fr import KPI_FR

FR: dict[str, str] = {
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
    "intro.time": ("Semaine de la demande. Les délais culminent en juillet–août, quand une grande partie des "
                   "médecins prend ses congés d'été (règle du modèle, sans remplaçants) ; la hausse hivernale de la "
                   "demande pèse bien moins."),
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
    "channel.own_gp": "Son médecin traitant",
    "channel.other_gp": "Un autre médecin généraliste",
    "channel.cpts": "Créneaux CPTS",
    "channel.sas": "SAS",
    "channel.tele": "Téléconsultation",
    "channel.medicobus": "Médicobus",
    "channel.evening": "Garde du soir / week-end",
    "channel.er": "Urgences",
    "channel.gave_up": "Renoncement",
    "channel.sas_advice": "Conseil médical du SAS (sans consultation)",
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
    "fig.weekly.er_wait_hours_mean": "Attente moyenne aux urgences par semaine (minutes)",
    "fig.weekly.routine_wait_days_mean": "Délai moyen pour un rendez-vous programmé, par semaine de demande (jours)",
    "fig.weekly.without_mt_share": "Patients sans médecin traitant, par semaine (% des patients)",
    "fig.weekly.x": "Semaine",
    "fig.years": "Trajectoire année par année : moyenne des réplications et IC à 95 %",
    "fig.years.note": ("Intervalles du niveau de chaque scénario ; l'écart entre deux scénarios, apparié (mêmes "
                       "patients), est bien plus précis : years.csv le donne avec son intervalle."),
    "fig.years.year": "année",
    "fmt.month_year": "%m/%Y",
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
    # what is still a rule (dashboard/places.py; the ids: simsoins/territory/rules.py)
    "rules.title": "Ce qui reste une hypothèse sur cette carte",
    "rules.intro": ("Ces éléments du territoire simulé ne viennent pas de données publiques mais d'une règle du "
                    "modèle (docs/france.md) :"),
    "rule.communes_at_centroid": ("Chaque habitant d'une commune est placé au centroïde de la commune (contour IGN), "
                                  "non là où il habite ; distance par la route = 1,3 × distance à vol d'oiseau."),
    "rule.gps_scaled_from_2020": ("Médecins généralistes par commune : effectifs de la BPE 2020 de l'Insee au lieu "
                                  "d'exercice, ramenés à l'effectif 2024 du département (data.ameli.fr) au plus fort "
                                  "reste."),
    "rule.gp_practice_grouping": ("Les médecins d'une commune sont regroupés en cabinets d'au plus 5 (3 ou plus : "
                                  "maison de santé) ; le lieu d'exercice de chaque médecin n'est pas publié en "
                                  "table."),
    "rule.plm_gp_split": ("Paris, Lyon et Marseille : les médecins de la ville sont répartis entre les "
                          "arrondissements au prorata de leur population."),
    "rule.gp_schedules": ("Horaires : 9 demi-journées par semaine (70 % du lundi au vendredi, 30 % avec le samedi "
                          "matin) ; médecins à exercice particulier (MEP) : 6 demi-journées."),
    "rule.er_rosters": ("Médecins présents aux urgences heure par heure : règle d'effectif du modèle à partir des "
                        "arrivées attendues ; les plannings ne sont pas publics."),
    "rule.er_site_at_centroid": ("Sites d'urgences : les services généraux ouverts en 2022 (SAE, DREES), placés au "
                                 "centroïde de leur commune (ceux d'une même commune n'en font qu'un) ; les urgences "
                                 "pédiatriques et les fermetures survenues depuis n'y sont pas."),
    "rule.evening_care_sites": ("Permanence des soins du soir et du week-end (PDSA) : un médecin pour 110 000 "
                                "habitants, dans les villes dotées d'urgences."),
    "rule.age_structure_departement": ("Chaque commune reçoit la structure par âge de son département (Insee 2025) : "
                                       "aucune table par âge et par commune n'est embarquée."),
    "rule.without_mt_share": "Habitants sans médecin traitant au départ : une même part pour tout le territoire.",
    "rule.closed_border": ("Personne ne franchit la limite du territoire pour un médecin ou les urgences ; simulez "
                           "les départements voisins avec lui (territory.code=[41,37,45]) là où cela compte."),
    # ER sites (dashboard/places.py)
    "er_sites.title": "Où vont les passages aux urgences",
    "er_sites.intro": ("Passages par site d'urgences sur la période mesurée (après la mise en route), moyenne des "
                       "réplications ; écart : différence appariée par réplication avec la référence [IC 95 %]. "
                       "Passage évitable : un patient que la médecine de ville aurait pu voir (soins non programmés "
                       "venus d'eux-mêmes ou sans place en ville)."),
    "er_sites.col.site": "Site d'urgences",
    "er_sites.col.visits": "Passages",
    "er_sites.col.avoidable_visits": "Passages évitables",
    "er_sites.col.wait_hours_mean": "Attente moyenne (minutes)",
    "er_sites.col.base": "{what} : référence",
    "er_sites.col.diff": "{what} : écart [IC 95 %]",
    "er_sites.more": "… et {n} autres sites, moins fréquentés dans la référence (er_sites.parquet les donne tous).",
    # communes' consultations and simulated accessibility (results/communes.py)
    "fig.access_map": ("Accessibilité simulée par commune : consultations accessibles par habitant standardisé "
                       "et par an"),
    "fig.access_map.value": "Accessibilité",
    "fig.access_map.unit": "consult./hab. std/an",
    "table.consultations": "Consultations par habitant et par an ({scenario})",
    "table.access": "Accessibilité simulée ({scenario})",
    "intro.access": ("Accessibilité simulée : la formule de l'APL (DREES/Cnam) appliquée aux consultations que la "
                     "simulation a données dans chaque cabinet ; trajet en minutes = km par la route à 60 km/h "
                     "(hypothèse) ; poids 1 sous 10 min, 2/3 de 10 à 15, 1/3 de 15 à 20, 0 au-delà ; population "
                     "standardisée par l'âge (poids DREES/Cnam 2023). Les cabinets hors du territoire ne comptent "
                     "pas."),
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
    # the ranking and the warnings box (dashboard/ranking.py, warnings.py)
    "section.ranking": "Classement des scénarios",
    "intro.ranking": ("Chaque ligne compare un scénario à la situation de référence : différence appariée par "
                      "réplication [IC 95 %] et verdict. « mieux » ou « pire » : différence démontrée au seuil de "
                      "5 % ; « pas de différence démontrée » : l'intervalle ne permet pas de conclure (ce n'est "
                      "pas la preuve d'un effet nul). Cliquez sur un en-tête pour trier (le premier clic met le "
                      "meilleur en tête)."),
    "ranking.capped": "{size} = {applied} (demandé : {asked}, limite du territoire)",
    "ranking.col.dose": "Dose (créneaux/sem. pour 100 000 hab. ; taille du levier)",
    "ranking.col.routine_time_to_care_days_median": "Délai médian d'accès aux soins programmés (jours)",
    "ranking.col.routine_seen_within_7d_share": "Vus sous 7 jours (points)",
    "ranking.col.routine_gave_up_share": "Renoncements (points)",
    "ranking.col.acute_within_48h_share": "Non programmés vus sous 48 h (points)",
    "ranking.col.er_visits_per_1000_year": "Passages aux urgences (pour 1 000 hab./an)",
    "ranking.col.er_avoidable_visits_per_1000_year": "Passages évitables aux urgences (pour 1 000 hab./an)",
    "ranking.col.routine_wait_days_median": "Délai médian des rendez-vous obtenus (jours)",
    "ranking.col.routine_within_7d_share": "Rendez-vous sous 7 jours (points)",
    "ranking.col.who": "Qui y gagne",
    "ranking.dose": "{n}",
    "ranking.verdict.better": "mieux",
    "ranking.verdict.worse": "pire",
    "ranking.verdict.ns": "pas de différence démontrée",
    "ranking.verdict.different": "différence démontrée",
    "ranking.gain": "{n} habitants gagnent {d}",
    "ranking.loss": "{n} habitants perdent {d}",
    "ranking.holm": ("Verdicts et couleurs : différence au seuil de 5 % après correction de Holm sur les {n} "
                     "indicateurs de chaque ligne (une ligne = une famille de tests, comme chaque tableau des "
                     "résultats principaux) ; « pts » : points de pourcentage."),
    "ranking.who": ("Qui y gagne : pour chaque commune, la différence appariée (scénario − {baseline}, même "
                    "réplication) du délai médian d'accès aux soins programmés de ses habitants, moyenne sur les "
                    "réplications avec son IC 95 %. « X habitants gagnent Y jours » : X = population des communes "
                    "dont la différence est négative et l'IC 95 % entièrement sous 0 ; Y = leur gain moyen pondéré "
                    "par la population. « perdent » : de même pour les communes dont l'IC est entièrement "
                    "au-dessus de 0. Sans correction pour le nombre de communes : sur des centaines de communes, "
                    "quelques-unes peuvent ressortir par hasard. « — » : aucune commune dans ce cas."),
    "unit.minutes": "minute|minutes",
    "warn.no_baseline": ("Pas de situation de référence dans cette comparaison : chaque écart est mesuré par rapport "
                         "à « {scenario} ». Pour comparer à la situation actuelle, ajoutez-la au balayage "
                         "(scenario=baseline,…)."),
    "warn.title": "Avertissements",
    "warn.few_reps": ("Seulement {n} réplication(s) par scénario (moins de {min}) : les intervalles de confiance "
                      "sont peu fiables (larges et instables) ; relancez avec run.replications={min} ou plus."),
    "warn.short_run": ("Période mesurée de {days} jours, moins d'un an : les saisons ne sont pas toutes couvertes "
                       "(les congés d'été et les épidémies d'hiver pèsent sur les délais) ; les moyennes ne valent "
                       "pas pour une année."),
    "warn.synthetic": ("Territoire fictif : communes, cabinets et distances sont inventés pour l'exemple ; aucun "
                       "chiffre de cette page ne décrit un territoire réel."),
    "warn.capped": ("{scenario} : {size} demandé {asked}, ramené à {applied} (limite du territoire : {limit}) ; "
                    "les résultats valent pour {applied}."),
    # the maps (dashboard/maps.py)
    "map.outline": "Limites des départements",
    "map.er.legend": "Losanges rouges : sites d'urgences, taille selon les passages (survol : passages par an)",
    "map.er.per_year": "Passages par an [IC 95 %]",
    "map.er.per_period": "Passages sur la période mesurée [IC 95 %]",
    "map.diff": "Écart scénario − référence par commune<br>{wait} (jours)",
    "map.diff.note": ("Moyenne des écarts appariés par réplication ; pâle : écart non démontré (IC 95 % contenant "
                      "0) ; taille : population"),
    "map.diff.bar": "Écart ({unit})<br>bleu : plus court,<br>mieux<br>rouge : plus long,<br>pire",
    "map.diff.value": "Scénario {scenario}",
    "map.diff.base": "Référence",
    "map.diff.diff": "Écart [IC 95 %]",
    "map.diff.ns": "écart non démontré (l'intervalle contient 0)",
    "map.area.communes": "Communes",
    "map.view.communes": "{scenario} — par commune",
    "map.view.epci": "{scenario} — par EPCI (moyenne pondérée par la population)",
    "map.view.bassin_vie": "{scenario} — par bassin de vie (moyenne pondérée par la population)",
    # the Sankey and the weekly figures (dashboard/sankey.py, figures.py)
    "fig.sankey.need": "Besoin",
    "fig.sankey.first": "Premier recours tenté",
    "fig.sankey.outcome": "Issue de la demande",
    "fig.sankey.note": ("Part des demandes à côté de chaque étape. Pour rester visible, une étape de moins de "
                        "{share} des demandes est dessinée à {share} : valeurs exactes au survol."),
    "fig.weekly.partial": ("Semaines complètes seulement : {n} semaine(s) incomplète(s) au début ou à la fin de la "
                           "période mesurée ne sont pas tracées (un total sur quelques jours n'est pas un total "
                           "hebdomadaire)."),
    # scenario titles from their parameters, the console table (dashboard/titles.py, console.py)
    "title.reference": "Référence ({territory})", "title.reference_bare": "Référence",
    "title.cpts": "CPTS : {pool} % des créneaux partagés",
    "title.cpts_campaign": ", un médecin traitant pour {share} % de ceux qui n'en ont pas",
    "title.assistants_medicaux": "Assistants médicaux pour {count} médecin{s}",
    "title.docteurs_juniors": "{count} docteur{s} junior{s} par promotion",
    "title.nouveau_centre": "Nouveau {kind} de {gps} médecin{s}", "title.kind.centre_sante": "centre de santé",
    "title.kind.msp": "MSP",
    "title.hopital_proximite": "Hôpital de proximité : {doctors} médecin{s} de garde",
    "title.teleconsultation": "Téléconsultation : +{extra} créneau{x} par heure",
    "title.tele_cabines": ", {n} cabine{s}",
    "title.medicobus": "Médicobus : {stops} arrêt{s} par semaine",
    "title.sas": "SAS : {peak} régulateur{s} à l'heure de pointe",
    "title.departs_retraite": "{count} départ{s} de médecin{s} non remplacé{s}",
    "title.france_sante": "Label France Santé : {count} structure{s}",
    "title.missions_solidarite": "Missions de solidarité : {volunteers} médecin{s} volontaire{s}, {days} j par mois",
    "title.prevention": "Prévention (hypothèse) : {parts}",
    "title.prevention.routine": "−{x} % de demandes programmées",
    "title.prevention.acute": "−{x} % de demandes aiguës",
    "title.prevention.emergency": "−{x} % de passages aux urgences",
    "title.per_100k": " ({per} pour 100 000 hab.)",
    # the console's table (dashboard/console.py)
    "console.mean": "{scenario} : moyenne [IC 95 %]",
    "console.heading": ("simsoins — {territory} — {reps} réplications × {days} jours (après {warmup} jours de "
                        "mise en route), graine {seed}"),
    "console.results": "Résultats : {out}  ({files})",
    # « Limites et sources » (dashboard/sources.py)
    "section.sources": "Limites et sources",
    "intro.sources": ("Ce que le modèle laisse de côté ou approche par une règle, puis les données publiques sur "
                      "lesquelles reposent les territoires réels (Loir-et-Cher, tout département) et le calage. Un "
                      "territoire fictif ou fourni par l'utilisateur a ses propres données."),
    "sources.limits": "Limites du modèle",
    "sources.data": "Sources des données",
    "sources.col.what": "Donnée", "sources.col.source": "Source", "sources.col.year": "Année",
    "sources.more": ("Détails : docs/model.md (§ 8 « Assumptions where public data stop », § 9), docs/calibration.md "
                     "et docs/calibration-sources.md du dépôt simsoins."),
    "limit.age": ("Structure par âge : celle du département (INSEE 2025) appliquée à chaque commune ; le modèle "
                  "n'a pas de pyramide des âges par commune."),
    "limit.er_closures": ("Urgences : les services ouverts en 2022 (SAE 2022), placés au centre de leur commune, "
                          "avec des effectifs horaires fixés par une règle (85 % d'occupation) ; les fermetures et "
                          "régulations d'accès (nuits, week-ends) intervenues depuis 2022 ne sont pas reproduites."),
    "limit.gp_places": ("Lieu d'exercice des médecins : les communes où la BPE 2020 en compte, au prorata, mis à "
                        "l'échelle de l'effectif 2024 (règle : pas de liste publique des cabinets)."),
    "limit.calibration": ("Calage sur le Loir-et-Cher : trois paramètres incertains (patience, nouvelle tentative, "
                          "part de créneaux gardés pour le jour même) y sont ajustés à des chiffres nationaux de la "
                          "DREES ; ailleurs ils sont repris tels quels."),
    "limit.outside": ("Hors des tolérances publiques : le délai médian pour voir un médecin (4 jours simulés, 2 "
                      "selon la DREES) et les consultations par médecin et par semaine (≈ 83 simulées, ≈ 109 "
                      "selon la CNAM pour un médecin à plein temps)."),
    "limit.time_to_care": ("Les délais de la DREES comptent les rendez-vous obtenus ; le délai jusqu'au soin de "
                           "toutes les demandes (abandons compris) n'a aucun chiffre public pour le valider."),
    "limit.not_modelled": ("Non modélisés : visites à domicile, spécialistes, infirmiers et pharmaciens ; patients "
                           "qui consultent hors du territoire ; jours fériés ; médecins qui ouvriraient plus de "
                           "créneaux du jour quand les délais s'allongent ; annulations et créneaux libérés."),
    "limit.intervals": ("Les intervalles de confiance à 95 % mesurent l'aléa de la simulation (réplications), pas "
                        "l'incertitude sur les paramètres : voir l'étude de sensibilité (+experiment=sensibilite)."),
    "source.population": "Population des communes | INSEE, populations légales (géographie au 1er janvier 2025) | 2025",
    "source.centroids": "Position des communes | IGN, Admin Express COG (centre pondéré par la surface) | 2018",
    "source.gps_bpe": ("Communes d'exercice des médecins généralistes | INSEE, Base permanente des équipements "
                       "(D201), via l'Observatoire des territoires (ANCT) | 2020"),
    "source.gps_ameli": "Médecins généralistes libéraux par département | data.ameli.fr (Assurance Maladie) | 2024",
    "source.age": "Population par tranche d'âge | INSEE, estimations de population au 1er janvier | 2025",
    "source.apl": "Consommation de soins de médecine générale par âge | DREES/Cnam, poids de l'indicateur APL | 2023",
    "source.er_sites": "Services d'urgences | DREES, SAE 2022 (URGENCES2, ID, SMURSAMU) | 2022",
    "source.outlines": "Contours des départements | IGN, version simplifiée (france-geojson) | —",
    "source.waits": ("Délais pour voir un médecin généraliste (cibles de calage) | DREES, Études et résultats "
                     "n° 1085 (cohorte Constances 2016-2017) | 2018"),
    "source.er_visits": "Passages aux urgences | DREES, Études et résultats n° 1320 (20,9 M de passages) | 2023",
    "source.er_avoidable": ("Passages évitables aux urgences | Yordanov et al. ; enquête DREES 2013 ; Cour des "
                            "comptes 2017 | 2013-2019"),
    "source.without_mt": "Patients sans médecin traitant | CNAM | 2021",
    "source.gp_activity": ("Activité des médecins (durée de consultation, congés, actes par an) | DREES, panel 4 ; "
                           "CNAM | 2019"),
    "source.tele": "Téléconsultations de médecine générale | DREES, Études et résultats n° 1249 | 2022",
    "unit.EUR/year": "euro par an|euros par an", "unit.EUR/day": "euro par jour|euros par jour",
    "unit.EUR/request": "euro par demande|euros par demande", "unit.EUR/visit": "euro par passage|euros par passage",
    "unit.days/year": "jour par an|jours par an", "unit.requests/year": "demande par an|demandes par an",
    "cost.title": "Coût public", "cost.no_gain": "aucun gain : pas de coût par unité gagnée",
    "unit.visits/year": "passage par an|passages par an",
    **KPI_FR,
}
