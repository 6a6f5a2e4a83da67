"""Loading a territory: the ``territory`` config block → a checked :class:`Territory`.

The block either points at CSV files (``configs/territory/*.yaml``) or names a
département (``departement: "18"``), whose tables :mod:`simsoins.territory.france` builds
from the national tables; keys written in the block win over the built ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from simsoins.config.model import AGE_BANDS, ClinicianDefaults, ConfigError
from simsoins.config.schema import from_mapping
from simsoins.config.territory import TerritoryConfig
from simsoins.territory.france import DATA, departement_config
from simsoins.territory.geometry import road_km
from simsoins.territory.model import Site, Territory
from simsoins.territory.readers import (
    FIELD,
    Clinicians,
    Communes,
    Practices,
    read_clinicians,
    read_communes,
    read_er_sites,
    read_evening_sites,
    read_practices,
)
from simsoins.territory.rules import checked_rules
from simsoins.territory.tables import resolve

#: Keys of a built département that a territory block cannot override: its tables and names.
BUILT_ONLY = ("communes", "practices", "clinicians", "name", "label")
#: The files :mod:`simsoins.territory.france` opens to build any département.
DEPARTEMENT_FILES = (DATA / "departements.csv", DATA / "communes.csv.gz", DATA / "er_sites.csv")
TABLES = ("communes", "practices", "clinicians")


def load_territory(cfg: Mapping, clinician_defaults: ClinicianDefaults, base_dir: Path | None = None,
                   age_bands: Sequence[str] = AGE_BANDS) -> Territory:
    """Load and validate the territory described by the ``territory`` config mapping.

    ``clinician_defaults`` fills the clinicians' empty optional cells; relative file names
    are looked up in the current directory, then ``base_dir``, then the package's data.
    """
    tc = from_mapping(TerritoryConfig, with_departement(cfg), FIELD)
    communes = read_communes(tc.communes, base_dir, age_bands, tc.age_structure)
    practices = read_practices(tc.practices, base_dir, communes.row_of)
    clinicians = read_clinicians(tc.clinicians, base_dir, tc.schedules, practices.row_of, clinician_defaults)
    er = read_er_sites(tc.er_sites, communes.row_of)
    evening = read_evening_sites(tc.evening_sites, communes.row_of)
    return _assemble(tc, communes, practices, clinicians, er, evening)


def with_departement(cfg: Mapping) -> Mapping:
    """``cfg`` itself, or, when it names a ``departement``, that département's built
    mapping with the keys of ``cfg`` laid over it (but the built tables and names)."""
    if not isinstance(cfg, Mapping):
        raise ConfigError(f"{FIELD} = {cfg!r}: must be a mapping (choose a territory with territory=NAME)")
    if not (cfg.get("departement") or cfg.get("region")):
        return cfg
    built = departement_config(cfg.get("departement"), region=str(cfg.get("region") or ""))
    if cfg.get("age_structure"):  # the user's shares win over the départements' own columns
        communes = built["communes"]
        built["communes"] = communes[[c for c in communes.columns if not c.startswith("pop_")]]
    # the département's own name and label win over the generic YAML's
    return {**built, **{k: v for k, v in cfg.items() if k not in BUILT_ONLY}}


def territory_files(cfg: Mapping, base_dir: Path | None) -> dict[str, Path | None]:
    """The data files the territory block ``cfg`` makes :func:`load_territory` read, by name
    (``territory.communes``… or the package file of a département); None: not found."""
    if not isinstance(cfg, Mapping):
        return {}
    if cfg.get("departement") or cfg.get("region"):  # built from the package's national tables, whatever the block says
        return {f"data/{p.parent.name}/{p.name}": p for p in DEPARTEMENT_FILES}
    files: dict[str, Path | None] = {}
    for key in TABLES:
        field = f"{FIELD}.{key}"
        try:
            files[field] = resolve(str(cfg.get(key)), base_dir, field)
        except ConfigError:
            files[field] = None
    return files


def _assemble(tc: TerritoryConfig, communes: Communes, practices: Practices, clinicians: Clinicians,
              er: tuple[Site, ...], evening: tuple[Site, ...]) -> Territory:
    """The :class:`Territory` of checked tables, with its road-distance matrices."""
    road = tc.road_factor
    return Territory(
        name=tc.name,
        commune_code=communes.code,
        commune_name=communes.name,
        lon=communes.lon,
        lat=communes.lat,
        population=communes.population,
        age_pop=communes.age_pop,
        without_mt_share=tc.without_mt_share,
        practice_id=practices.id,
        practice_name=practices.name,
        practice_commune=practices.commune,
        practice_kind=practices.kind,
        clinician_id=clinicians.id,
        clinician_practice=clinicians.practice,
        clinician_kind=clinicians.kind,
        clinician_sessions=clinicians.sessions,
        clinician_slot_minutes=clinicians.slot_minutes,
        clinician_same_day_share=clinicians.same_day_share,
        clinician_accepts_new=clinicians.accepts_new,
        er_sites=er,
        evening_sites=evening,
        km_commune_practice=road_km(communes.lon, communes.lat, practices.commune, road),
        km_commune_er=road_km(communes.lon, communes.lat, [s.commune for s in er], road),
        km_commune_evening=road_km(communes.lon, communes.lat, [s.commune for s in evening], road),
        panel_dispersion=tc.panel_dispersion,
        panel_seed=tc.panel_seed,
        road_factor=road,
        rules=checked_rules(tc.rules, f"{FIELD}.rules"),
        commune_departement=communes.departement,
    )
