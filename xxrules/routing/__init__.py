"""Routing: from a clue to one decision (lead, assisting departments, item and why).

:func:`load_ruleset` builds an immutable :class:`RuleSet`; its :meth:`RuleSet.route`
runs the :mod:`pipeline <xxrules.routing.pipeline>`: match, select, evaluate, decide,
criminal referral.
"""

from xxrules.routing.ruleset import RuleSet, load_ruleset

__all__ = ["RuleSet", "load_ruleset"]
