"""The jurisdiction graph and the dispute ladder: who holds which role, owns which field, leads which item.

Graph functions follow networkx style: plain functions over a graph, named for what
they return (:func:`field_owner`, :func:`closeness`, :func:`arbiters` …). The
dispute ladder (:mod:`xxrules.jurisdiction.disputes`) climbs them when rules disagree.
"""

from xxrules.jurisdiction.graph import (
    Graph,
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
