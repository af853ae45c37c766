"""Writing the jurisdiction graph as GraphML, DOT or a PNG picture.

Exports are deterministic: the graph is copied with its nodes, edges and
attributes in sorted order first, so the same rule set gives the same bytes
whatever the order of its files. GraphML goes through networkx's writer (every
attribute is a string, number or boolean); DOT through pydot, with every node
name and string value quoted (node names hold ``:``, which DOT reads as a port).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from xxrules.drawing.fonts import require
from xxrules.errors import ExportError

if TYPE_CHECKING:
    from xxrules.jurisdiction.graph import Graph

__all__ = ["FORMATS", "canonical_graph", "to_dot", "to_graphml", "write_graph"]

FORMATS = ("graphml", "dot", "png")

#: DOT styling per node kind (shape, fill) and edge kind (colour, style), for ``dot -Tsvg``.
_DOT_NODES = {
    "department": ("box", "#cfe2f3"),
    "role": ("ellipse", "#fde9c9"),
    "field": ("hexagon", "#d9ead3"),
    "item": ("note", "#f4cccc"),
    "region": ("house", "#e6e0f0"),
}
_DOT_EDGES = {
    "holds": ("#1f77b4", "solid"),
    "owns": ("#2ca02c", "solid"),
    "in_field": ("#9467bd", "solid"),
    "leads": ("#d62728", "bold"),
    "cooperates": ("#ff7f0e", "dashed"),
    "close_to": ("#17becf", "dotted"),
    "covers": ("#8c564b", "solid"),
    "part_of": ("#7f7f7f", "solid"),
    "arbitrates": ("#e377c2", "dotted"),
}


def canonical_graph(G: Graph) -> Graph:
    """A copy of ``G`` with graph data, nodes, edges and attributes in sorted order."""
    import networkx as nx  # here, not at the top: only exports need it

    H: Graph = nx.MultiDiGraph()
    H.graph.update(sorted(G.graph.items()))
    for name in sorted(G.nodes):
        H.add_node(name, **dict(sorted(G.nodes[name].items())))
    for u, v, key, data in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        H.add_edge(u, v, key=key, **dict(sorted(data.items())))
    return H


def to_graphml(G: Graph) -> bytes:
    """GraphML (UTF-8) of the graph; edge keys become edge ids, attributes keep their types."""
    import networkx as nx

    _check_scalars(G)
    buffer = io.BytesIO()
    nx.write_graphml(canonical_graph(G), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def _check_scalars(G: Graph) -> None:
    """GraphML holds strings, numbers and booleans only: say which attribute is not one."""
    records: list[tuple[str, dict[str, Any]]] = [("graph", G.graph)]
    records += [(f"node {n}", d) for n, d in G.nodes(data=True)]
    records += [(f"edge {u}->{v}", d) for u, v, d in G.edges(data=True)]
    for where, data in records:
        for name, value in data.items():
            if not isinstance(value, str | int | float | bool):
                raise ExportError(f"GraphML cannot hold {where} attribute {name!r} of type {type(value).__name__}")


def _dot_quote(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def to_dot(G: Graph) -> str:
    """Graphviz DOT text of the graph, styled by node and edge kind (render with ``dot -Tsvg``).

    Every node name and string attribute is quoted, so ``dept:approval`` is a node
    (not node ``dept`` port ``approval``) and Chinese labels pass through intact.
    The ``close_to`` weight is written as ``closeness``: Graphviz's ``weight`` is an
    integer layout hint.
    """
    require("pydot", "pydot")
    import networkx as nx

    H = canonical_graph(G)
    for _, data in H.nodes(data=True):
        shape, fill = _DOT_NODES.get(str(data.get("kind")), ("box", "white"))
        data.update(shape=shape, style="filled", fillcolor=fill)
    for _, _, data in H.edges(data=True):
        color, style = _DOT_EDGES.get(str(data.get("kind")), ("black", "solid"))
        data.update(color=color, style=style)
        if "weight" in data:  # Graphviz reads weight as an integer layout hint: keep ours apart
            data["closeness"] = data.pop("weight")
    quoted = nx.relabel_nodes(H, {n: _dot_quote(n) for n in H}, copy=True)
    for _, data in quoted.nodes(data=True):
        data.update({k: _dot_quote(v) for k, v in data.items()})
    for _, _, data in quoted.edges(data=True):
        data.update({k: _dot_quote(v) for k, v in data.items()})
    quoted.graph = {k: _dot_quote(v) for k, v in H.graph.items()}
    dot = nx.nx_pydot.to_pydot(quoted)
    dot.set_name(_dot_quote(H.graph.get("name", "jurisdiction")))
    text: str = dot.to_string()
    return text


def write_graph(G: Graph, target: str | Path | BinaryIO, format: str = "graphml", **options: Any) -> None:
    """Write ``G`` to a path or binary stream as ``graphml``, ``dot`` or ``png``.

    ``options`` go to :func:`~xxrules.drawing.draw_graph` for ``png`` (``font``,
    ``focus``, ``depth``, ``node_kinds``, ``edge_kinds``, ``dpi``).
    """
    writers: dict[str, Callable[[], bytes]] = {
        "graphml": lambda: to_graphml(G),
        "dot": lambda: to_dot(G).encode("utf-8"),
        "png": lambda: _png_bytes(G, **options),
    }
    if format not in writers:
        raise ExportError(f"unknown graph format {format!r}: use one of {', '.join(FORMATS)}")
    if options and format != "png":
        raise ExportError(f"options {sorted(options)} apply to png only")
    data = writers[format]()
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)


def _png_bytes(G: Graph, **options: Any) -> bytes:
    from xxrules.drawing.draw import draw_graph, png_bytes

    dpi = options.pop("dpi", 100)
    return png_bytes(draw_graph(G, **options), dpi=dpi)
