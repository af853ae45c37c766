"""Routing: from a clue to one decision (lead, assisting departments, item and why).

:func:`load_ruleset` builds an immutable :class:`RuleSet`; its :meth:`RuleSet.route`
runs the :mod:`pipeline <xxrules.routing.pipeline>`: match, select, evaluate, decide,
criminal referral. :func:`batch_router` routes pandas frames batch by batch for Dask,
Spark and Ray (:mod:`xxrules.routing.rows`).
"""

from xxrules.routing.rows import BatchRouter, batch_router
from xxrules.routing.ruleset import RuleSet, load_ruleset

__all__ = ["BatchRouter", "RuleSet", "batch_router", "load_ruleset"]
