"""Colours of the dashboard's channels, shared by the figures (figures.py, sankey.py)."""

from __future__ import annotations

#: One colour per channel (simsoins.vocabulary.CHANNELS), told apart in the Sankey.
CHANNEL_COLORS = {"own_gp": "#1b9e77", "other_gp": "#66a61e", "cpts": "#7570b3", "sas": "#e7298a",
                  "tele": "#1f78b4", "medicobus": "#a6761d", "evening": "#6a3d9a", "er": "#d62728",
                  "gave_up": "#4d4d4d", "sas_advice": "#f4a6c9"}
SOURCE_COLOR = "#999999"


def rgba(hex_color: str, alpha: float) -> str:
    """``#rrggbb`` → ``rgba(r, g, b, alpha)``."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha})"
