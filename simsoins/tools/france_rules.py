"""What is still a rule in a France sweep, as ``france.html`` lists it (« hypothèses »).

Each job's ``scenarios.json`` lists the rules its territory was built with
(``territory_rules``, ids of :data:`simsoins.territory.rules.RULES`). This module counts
them over a sweep and words them with the dashboard's ``rule.<id>`` labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simsoins.dashboard.i18n import Translator
from simsoins.territory.rules import RULES


@dataclass(frozen=True)
class RuleUse:
    """One rule of a sweep: its id, its text and how many of the sweep's départements use it."""

    rule: str
    text: str
    departements: int


def rule_text(rule: str, t: Translator) -> str:
    """The text of ``rule`` in ``t``'s language (the dashboard's ``rule.<id>`` label); an
    unknown id shows as itself."""
    return t(f"rule.{rule}") if t.has(f"rule.{rule}") else rule


def rules_used(jobs: Iterable, t: Translator) -> list[RuleUse]:
    """Every rule of the sweep's ``jobs`` (each with ``codes`` and ``rules``), in the order of
    RULES (unknown ids last), with the number of distinct départements whose job used it."""
    where: dict[str, set[str]] = {}
    for job in jobs:
        for rule in job.rules:
            where.setdefault(rule, set()).update(job.codes)
    order = [r for r in RULES if r in where] + sorted(r for r in where if r not in RULES)
    return [RuleUse(r, rule_text(r, t), len(where[r])) for r in order]
