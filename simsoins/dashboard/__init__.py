"""Planners' dashboard (« tableau de bord ») of simsoins results: a self-contained HTML page.

``python -m simsoins.dashboard RUN_DIR... [--lang fr|en] [--out FILE]`` rebuilds it from
stored run directories without simulating.
"""

from simsoins.dashboard.report import build_html, load_results, merge_results, write_dashboard

__all__ = ["build_html", "load_results", "merge_results", "write_dashboard"]
