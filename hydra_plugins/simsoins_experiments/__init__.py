"""Hydra search-path plugin: makes simsoins' named studies (``experiments/``) visible as
the ``experiment`` config group, from any directory and from an installed package."""
