"""Risk early warning (风险监测预警): a :class:`Monitor` watches a stream of clues and emits warnings.

Warning indicators (the rule files' ``warnings`` section) are compiled to durable_rules
rulesets (:mod:`xxrules.monitor.compile`); windows run on the clues' own time.
"""

from xxrules.monitor.monitor import Monitor

__all__ = ["Monitor"]
