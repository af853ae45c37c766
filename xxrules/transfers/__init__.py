"""Transfer chains (线索移送): a clue's hand-overs between departments, checked against the graph and the policy.

Verdicts: ``ok``, ``not_allowed`` (not competent, pushed down to a street, broken chain),
``late_return`` (the holder becomes first-responsible, 首办负责), ``loop`` (sent up the
dispute ladder) and ``too_many_hops``; with notices (告知) and deadlines in working days.
"""

import typing

from xxrules import _deprecated
from xxrules.transfers.chains import (
    check_transfer_lines,
    check_transfers,
    has_loop,
    is_push_down,
    loop_departments,
    transfer_chain,
    unit_level,
)
from xxrules.transfers.names import read_transferred_clue

__all__ = [
    "check_transfer_lines",
    "check_transfers",
    "has_loop",
    "is_push_down",
    "loop_departments",
    "read_transferred_clue",
    "transfer_chain",
    "unit_level",
]


def __getattr__(name: str) -> typing.Any:
    """Names renamed in 0.2 (``referral_chain``, ``check_referral`` …) still resolve, with a warning, until 0.3."""
    return _deprecated.resolve(__name__, name)
