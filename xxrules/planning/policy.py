"""Sampling policy rows and quiet-day calendars, as the planner uses them (defined with the rule-file models).

A :class:`SamplingRule` gives the share of objects drawn each plan period and the shortest interval between two
checks of one object for one item, by credit class and risk level (defaults: ``rules/xixian/inspection.yaml``,
DOMAIN.md §4). A :class:`QuietDays` calendar names the days on which routine visits are barred (企业宁静日).
"""

from __future__ import annotations

from xxrules.models import CreditClass, QuietDays, RiskLevel, SamplingRule

__all__ = ["CreditClass", "QuietDays", "RiskLevel", "SamplingRule"]
