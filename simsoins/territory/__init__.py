"""A territory: communes, practices, clinicians, ER and evening-care sites.

A territory is data a planner can write (« décrire son territoire »): CSV files for the
communes, the practices (cabinets, MSP, centres de santé) and their clinicians, and a
YAML file under ``configs/territory/`` that points at them and adds schedules, ER sites
and evening-care sites.  :func:`load_territory` validates everything on load and turns
it into plain arrays; bad data raises :class:`~simsoins.config.model.ConfigError`.

Modules, in the order they depend on each other (each imports only those before it):

- :mod:`.geometry` — great-circle and road km, points inside an outline;
- :mod:`.model` — the records: :class:`Territory`, :class:`Session`, :class:`Site`;
- :mod:`.sessions` — weekly sessions written as text (``"mon 08:30-12:30"``);
- :mod:`.apportion` — sharing whole numbers among items;
- :mod:`.tables` — reading a CSV table and checking its columns;
- :mod:`.readers` — one reader per table, each with its checks;
- :mod:`.france` — any metropolitan département built from the national tables;
- :mod:`.load` — :func:`load_territory`, the composition of the readers;
- :mod:`.panels` — weekly capacity and starting « médecin traitant » panels.
"""

from __future__ import annotations

from simsoins.territory.geometry import EARTH_RADIUS_KM, ROAD_FACTOR, haversine_km
from simsoins.territory.load import load_territory
from simsoins.territory.model import Session, Site, Territory, territory_summary
from simsoins.territory.panels import initial_panels, weekly_slots
from simsoins.territory.readers import FLAGS
from simsoins.territory.sessions import parse_sessions
from simsoins.territory.tables import PACKAGE_DATA

__all__ = [
    "EARTH_RADIUS_KM",
    "FLAGS",
    "PACKAGE_DATA",
    "ROAD_FACTOR",
    "Session",
    "Site",
    "Territory",
    "haversine_km",
    "initial_panels",
    "load_territory",
    "parse_sessions",
    "territory_summary",
    "weekly_slots",
]
