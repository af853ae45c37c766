"""The jurisdiction graph and the dispute ladder: who holds which role, owns which field, leads which item.

Graph functions follow networkx style: plain functions over a graph, named for what
they return (:func:`field_owner`, :func:`closeness`, :func:`arbiters` …). The
dispute ladder (:mod:`xxrules.jurisdiction.disputes`) climbs them when rules disagree.
"""

from typing import TYPE_CHECKING, Any

from xxrules.jurisdiction import graph
from xxrules.jurisdiction.graph import (
    HasGraph,
    arbiters,
    build_graph,
    closeness,
    field_of_item,
    field_owner,
    item_backers,
    jurisdiction_graph,
    key_of,
    node,
    nodes_of_kind,
    ownership_path,
)

if TYPE_CHECKING:
    from xxrules.jurisdiction.graph import Graph

__all__ = [
    "Graph",
    "HasGraph",
    "arbiters",
    "build_graph",
    "closeness",
    "field_of_item",
    "field_owner",
    "item_backers",
    "jurisdiction_graph",
    "key_of",
    "node",
    "nodes_of_kind",
    "ownership_path",
]


def __getattr__(name: str) -> Any:
    if name == "Graph":  # networkx's MultiDiGraph, imported on first use
        return graph.Graph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
