"""The model's vocabulary, defined once: time units, weekdays, needs and channels.

Every module that names a channel, a need or a day imports it from here, so a new
channel is added in one place (then its label in ``dashboard/i18n.py`` and its colour in
``dashboard/figures.py``, which a test checks).
"""

from __future__ import annotations

#: The simulation clock counts minutes from Monday 00:00 of the first simulated day.
MIN_PER_HOUR = 60
MIN_PER_DAY = 1440
MIN_PER_WEEK = 7 * MIN_PER_DAY
HOURS_PER_DAY = MIN_PER_DAY // MIN_PER_HOUR
DAYS_PER_WEEK = MIN_PER_WEEK // MIN_PER_DAY
#: Days in a year, for yearly rates turned into daily or weekly ones.
DAYS_PER_YEAR = 365.0

#: Weekdays as written in configs and territory files (« lundi » … « dimanche »).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Needs of a request (« besoin »): a routine appointment (« consultation programmée »),
#: acute care within 48 h (« soins non programmés ») or an emergency for the ER.
NEEDS = ("routine", "acute", "emergency")
NEED_ROUTINE, NEED_ACUTE, NEED_EMERGENCY = range(len(NEEDS))

#: Where a request ended (« issue de la demande »), in pathway order; the position is the
#: channel's code in the event log and its bit in the ``path`` bitmask (an int16: at most
#: 15 channels).  ``sas``: a consultation in a SAS slot; ``sas_advice``: the SAS regulator's
#: advice on the phone (« conseil médical »), no consultation — appended last, after the
#: channels that existed before it, so that earlier codes keep their values.
CHANNELS = ("own_gp", "other_gp", "cpts", "sas", "tele", "medicobus", "evening", "er", "gave_up", "sas_advice")
CH = {name: i for i, name in enumerate(CHANNELS)}
BIT = {name: 1 << i for i, name in enumerate(CHANNELS)}
#: Channels where a GP-type clinician sees the patient (in person or by video): those before
#: the ER (not ``gave_up`` nor ``sas_advice``, which come after it).
CARE_CHANNELS = CHANNELS[:CHANNELS.index("er")]
#: ER priority of an *avoidable* visit (one primary care could have seen: an acute request
#: that walked in or that primary care could not place), as the ER queues it and the event
#: log's ``er_priority`` records it: after every triage level (`er.triage_shares` has at
#: most this many minus one).  A patient the SAMU brings in has a triage level instead.
AVOIDABLE_ER_PRIORITY = 9
