"""Compiling warning indicators into durable_rules rulesets (JSON definitions) and their facts.

Two stages, both judged by durable_rules:

1. **which indicators a clue hits**: the clue is asserted as one fact per shard
   (the routing event of ``xxrules.engines.durable.compile.EventSchema`` plus the routing
   decision and the group key of each of the shard's indicators); rules
   ``i<k>_<j>`` hold when indicator ``k``'s ``when`` holds, the routed item or
   domain is listed, and the clue has every grouping value (``j`` numbers the
   alternatives ``xxrules.engines.durable.compile.split`` cuts a test into, under durable's
   limit of 15 groups per expression; several may fire for one clue, and OR-ed
   branches fire once each: the monitor keeps a set of indicators hit). The fact is retracted straight
   after: clue facts never accumulate. (A fact, not an event: durable consumes an
   event with the first rule that fires, and one clue may hit several indicators.)
   Shards hold :data:`SHARD_SIZE` rules: durable_rules 2.0.28 fails with error
   303 when more than 64 rules fire for one fact (pinned in the tests).
2. **the group's tally**, in its own ruleset: for each hit, one ``hit`` event is posted. Rule
   ``count`` joins it with the tally fact of its indicator and group (a 2-way
   join: one tally per group, so the cost is linear in the clues); rule ``open``,
   of lower priority, takes a hit whose group has no tally yet. Each event is
   consumed by exactly one of them.

Nothing here joins clue facts with each other: a threshold of N is never an
N-way join (which would fire once per N-subset of clues).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from xxrules.common.names import Directory
from xxrules.common.text import normalize
from xxrules.common.windows import parse_window
from xxrules.engines.durable.compile import MARKER, EventSchema, epoch_us, split
from xxrules.matching.facts import ClueFacts, Matcher, compile_condition
from xxrules.models import (
    Clue,
    Decision,
    Indicator,
    Outcome,
    RegionKind,
    Rule,
    Status,
    SupervisionItem,
)

__all__ = ["COUNT_RULE", "OPEN_RULE", "SHARD_SIZE", "Compiled", "MonitorPlan", "group_values", "rule_indicator"]

OPEN_RULE, COUNT_RULE = "open", "count"
SHARD_SIZE = 32  # rules per stage-1 ruleset: durable fails when more than 64 rules fire for one fact
_VALUE_FIELD = {"count": "", "distinct_sources": "w_source", "distinct_items": "w_item", "distinct_domains": "w_domain"}


@dataclass(frozen=True)
class Compiled:
    """One indicator as the monitor runs it."""

    indicator: Indicator
    window_us: int
    measure: str
    need: int
    value_field: str  # the event field a distinct measure counts, "" for count


def group_values(
    keys: tuple[str, ...], clue: Clue, decision: Decision, facts: ClueFacts, directory: Directory
) -> dict[str, str] | None:
    """The grouping values of ``clue`` for ``keys`` (normalized), or None if one is missing."""
    obj, location = clue.object, clue.location
    code = (obj.credit_code or "").strip().upper() if obj else ""
    name = normalize(obj.name) if obj and obj.name else ""
    available = {
        "credit_code": code,
        "object_name": name,
        "object": code or name,
        "address": normalize(location.address) if location and location.address else "",
        "region": _most_specific_region(facts, directory),
        "item": decision.item.id if decision.item and decision.status is Status.routed else "",
    }
    values = {key: available[key] for key in keys}
    return values if all(values.values()) else None


def _most_specific_region(facts: ClueFacts, directory: Directory) -> str:
    """The sub-district the clue names (smallest id if several), else its new city, else ""."""
    streets = sorted(
        r for r in facts.regions if r in directory.regions and directory.regions[r].kind is RegionKind.street
    )
    return streets[0] if streets else min(facts.regions, default="")


class MonitorPlan:
    """A rule set's indicators compiled once: matcher, event schema, durable definition."""

    def __init__(
        self,
        indicators: tuple[Indicator, ...],
        items: dict[str, SupervisionItem],
        directory: Directory,
        fields: Mapping[str, str | None],
    ) -> None:
        self.items = items
        self.fields = fields  # item id → field id (an indicator's ``domain`` names fields)
        self.directory = directory
        self.compiled = tuple(_compile(indicator) for indicator in indicators)
        conditions = [compile_condition(i.when) for i in indicators if i.when is not None]
        pseudo = [Rule(id=f"w{n}", when=cond, then=Outcome(lead="-")) for n, cond in enumerate(conditions)]
        self.matcher = Matcher(pseudo, directory)
        self.schema = EventSchema(conditions, directory)
        rules = [
            (f"i{k}_{j}", test)
            for k, compiled in enumerate(self.compiled)
            for j, test in enumerate(split(self._hit_test(k, compiled)))
        ]
        chunks = [rules[start : start + SHARD_SIZE] for start in range(0, len(rules), SHARD_SIZE)]
        self.shard_definitions = tuple({name: {"all": [{"m": test}]} for name, test in chunk} for chunk in chunks)
        #: indicator positions each stage-1 shard tests (its facts carry their group keys)
        self.shards = tuple(tuple(dict.fromkeys(rule_indicator(name) for name, _ in chunk)) for chunk in chunks)
        self.tally_definition: dict[str, Any] = {
            OPEN_RULE: {"all": [{"m": {"xw": "hit"}}], "pri": 2},
            COUNT_RULE: {
                "all": [
                    {"t": {"xw": "tally"}},
                    {"h": {"$and": [{"xw": "hit"}, {"ind": {"t": "ind"}}, {"g": {"t": "g"}}]}},
                ],
                "pri": 1,
            },
        }

    def _hit_test(self, k: int, compiled: Compiled) -> dict[str, Any]:
        indicator = compiled.indicator
        tests: list[dict[str, Any]] = [{MARKER: 1}, {"$neq": {f"w_g{k}": ""}}]
        if indicator.when is not None:
            tests.append(self.schema.expression(compile_condition(indicator.when)))
        if indicator.item is not None:
            tests.append(_one_of("w_item", indicator.item))
        if indicator.domain is not None:
            tests.append(_one_of("w_domain", indicator.domain))
        if compiled.value_field:
            tests.append({"$neq": {compiled.value_field: ""}})
        return {"$and": [part for test in tests for part in test.get("$and", [test])]}

    def clue_fact(self, clue: Clue, decision: Decision, moment: datetime) -> dict[str, Any]:
        """The stage-1 fields of a clue: the routing event, the decision, every indicator's group key ``w_g<k>``.

        Each shard is sent the common fields and its own indicators' group keys (a durable
        fact holds at most 254 properties).
        """
        facts = self.matcher.facts(clue)
        routed = decision.item is not None and decision.status is Status.routed
        item = self.items.get(decision.item.id) if routed and decision.item else None
        fact = self.schema.event(facts)
        fact.update(
            {
                "w_item": item.id if item else "",
                "w_domain": self.fields.get(item.id) or "" if item else "",
                "w_source": clue.source.value if clue.source else "",
                "w_lead": decision.lead.id if decision.lead and routed else "",
                "w_lead_name": decision.lead.name if decision.lead and routed else "",
                "w_at": epoch_us(moment),
            }
        )
        for k, compiled in enumerate(self.compiled):
            values = group_values(compiled.indicator.group_by, clue, decision, facts, self.directory)
            fact[f"w_g{k}"] = json.dumps(list(values.values()), ensure_ascii=False) if values else ""
        return fact


def rule_indicator(rule_name: str) -> int:
    """The indicator position of stage-1 rule ``i<k>_<j>``."""
    return int(rule_name[1:].split("_")[0])


def _one_of(field: str, values: tuple[str, ...]) -> dict[str, Any]:
    tests = [{field: value} for value in values]
    return tests[0] if len(tests) == 1 else {"$or": tests}


def _compile(indicator: Indicator) -> Compiled:
    window = parse_window(indicator.window)
    assert window is not None  # checked when the rule set was loaded
    measure, need = indicator.threshold.measure()
    return Compiled(indicator, window // timedelta(microseconds=1), measure, need, _VALUE_FIELD[measure])
