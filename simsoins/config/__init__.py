"""Typed, validated configuration (« paramétrage »): plain mappings composed by Hydra
become frozen dataclasses.

- :mod:`~simsoins.config.schema` — conversion and range checks of a mapping into a
  dataclass, :class:`ConfigError` naming the full config path;
- :mod:`~simsoins.config.model` — the run settings and the model (demand, clinicians,
  pathways, ER, teleconsultation), with the defaults of ``configs/config.yaml``;
- :mod:`~simsoins.config.levers` — the policy levers, all off in the baseline;
- :mod:`~simsoins.config.territory` — the territory block.
"""
