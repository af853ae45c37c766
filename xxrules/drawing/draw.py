"""Drawing the jurisdiction graph as a picture a person can read.

Nearly 300 nodes and 1,000 edges make a hairball under a force layout, so the
picture is layered: one column per node kind, in the order the edges mostly run
(regions ← departments → items → fields ← roles, and departments → roles), nodes
ordered in each column to keep linked nodes level (barycentre sweeps, ties by
name, so the layout is deterministic). Nodes are labelled boxes coloured by kind;
edges are curves coloured by kind with a legend. ``close_to`` and ``arbitrates``
(every department, three arbiters) are left out unless asked for; ``focus``
draws one node's neighbourhood instead of the whole graph.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxrules.drawing.fonts import CjkFont, find_cjk_font, require
from xxrules.errors import ExportError, did_you_mean

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from xxrules.jurisdiction.graph import Graph

__all__ = ["DEFAULT_EDGE_KINDS", "EDGE_STYLES", "NODE_STYLES", "draw_graph", "png_bytes", "resolve_node"]

#: Column (x, in column widths), fill colour and heading of each drawn kind, left to right. Territorial
#: units (departments that cover a region) get their own column beside the regions they cover.
NODE_STYLES: dict[str, tuple[float, str, str]] = {
    "region": (0.0, "#e6e0f0", "属地 regions"),
    "territorial": (0.75, "#d0e0e3", "属地单位 territorial units"),
    "department": (1.5, "#cfe2f3", "部门 departments"),
    "item": (2.5, "#f4cccc", "监管事项 items"),
    "field": (3.5, "#d9ead3", "领域 fields"),
    "role": (4.5, "#fde9c9", "职能 roles"),
}
_GRAPH_KINDS = ("department", "field", "item", "region", "role")

#: Colour, line width, opacity and legend text of each edge kind.
EDGE_STYLES: dict[str, tuple[str, float, float, str]] = {
    "leads": ("#d62728", 0.9, 0.75, "leads 牵头: department → item"),
    "cooperates": ("#ff7f0e", 0.5, 0.3, "cooperates 配合: department → item"),
    "in_field": ("#9467bd", 0.7, 0.7, "in_field 所属领域: item → field"),
    "owns": ("#2ca02c", 0.8, 0.75, "owns 领域归口: role → field"),
    "holds": ("#1f77b4", 0.8, 0.6, "holds 职能: department → role"),
    "covers": ("#8c564b", 0.8, 0.7, "covers 属地: department → region"),
    "part_of": ("#7f7f7f", 0.8, 0.7, "part_of: street → new city"),
    "close_to": ("#17becf", 0.6, 0.35, "close_to 业务相近: department → field (width: weight)"),
    "arbitrates": ("#e377c2", 0.5, 0.3, "arbitrates 裁决: department → department"),
}

DEFAULT_EDGE_KINDS = frozenset(EDGE_STYLES) - {"close_to", "arbitrates"}

_ROW = 0.19  # inches per node in the tallest column
_COLUMN = 3.3  # inches between columns
_FONT_SIZE = 6.5
_TOP = 1.5  # inches above the columns: title, subtitle, legend


def resolve_node(G: Graph, name: str) -> str:
    """The node ``name`` refers to: a node name (``field:food_safety``), a unique id or a unique label."""
    if name in G:
        return name
    matches = sorted(n for n, d in G.nodes(data=True) if d.get("label") == name or n.split(":", 1)[-1] == name)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ExportError(f"{name!r} names several nodes ({', '.join(matches)}): give the full node name")
    known = [str(n) for n in G] + [str(d.get("label")) for _, d in G.nodes(data=True)]
    hint = did_you_mean(name, known)
    raise ExportError(f"no node {name!r} in the graph" + (f" (did you mean {hint!r}?)" if hint else ""))


def draw_graph(
    G: Graph,
    *,
    font: str | Path | CjkFont | None = None,
    focus: str | None = None,
    depth: int = 2,
    node_kinds: Collection[str] | None = None,
    edge_kinds: Collection[str] | None = None,
) -> Figure:
    """A matplotlib figure of the jurisdiction graph (Agg canvas: no screen needed).

    Parameters
    ----------
    G : the graph from :func:`~xxrules.jurisdiction_graph`.
    font : a font file (or a found :class:`CjkFont`) for the Chinese labels; searched for when None.
    focus : draw only this node (name, id or label) and what lies within ``depth`` edges of it.
    node_kinds, edge_kinds : kinds to draw (default: every node kind; every edge kind but
        ``close_to`` and ``arbitrates``).

    Raises :class:`~xxrules.errors.MissingFontError` when no font covers the labels and
    :class:`~xxrules.errors.MissingDependencyError` when matplotlib is not installed.
    """
    require("matplotlib", "matplotlib")
    edges = _known(edge_kinds, EDGE_STYLES, "edge") if edge_kinds is not None else DEFAULT_EDGE_KINDS
    nodes = _known(node_kinds, _GRAPH_KINDS, "node") if node_kinds is not None else frozenset(_GRAPH_KINDS)
    H = _subgraph(G, nodes, edges)
    centre = resolve_node(G, focus) if focus is not None else None
    if centre is not None:
        if centre not in H:
            raise ExportError(f"focus {centre!r} is of a kind not drawn")
        H = _neighbourhood(H, centre, depth)
    labels = "".join(str(d.get("label", "")) for _, d in H.nodes(data=True))
    chosen = font if isinstance(font, CjkFont) else find_cjk_font(font, text=labels)
    return _render(H, _layout(H), chosen.properties(), G, centre)


def png_bytes(figure: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes, rendered by Agg."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _known(kinds: Collection[str], styles: Collection[str], what: str) -> frozenset[str]:
    unknown = sorted(set(kinds) - set(styles))
    if unknown:
        raise ExportError(f"unknown {what} kind(s) {', '.join(unknown)}: use {', '.join(styles)}")
    return frozenset(kinds)


def _subgraph(G: Graph, node_kinds: frozenset[str], edge_kinds: frozenset[str]) -> Graph:
    """The nodes and edges to draw, each node with its drawing ``column`` (G itself is not changed)."""
    import networkx as nx  # here, not at the top: only drawing needs it

    H: Graph = nx.MultiDiGraph(**G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("kind") in node_kinds)
    for u, v, key, data in G.edges(keys=True, data=True):
        if data.get("kind") in edge_kinds and u in H and v in H:
            H.add_edge(u, v, key=key, **data)
    units = {u for u, _, k in G.edges(keys=True) if k == "covers"}
    for name, data in H.nodes(data=True):
        data["column"] = "territorial" if name in units else data["kind"]
    return H


def _neighbourhood(H: Graph, centre: str, depth: int) -> Graph:
    """``centre`` and the nodes within ``depth`` links of it, not going on through departments.

    A department links to dozens of items: passing through one would draw most of
    the graph. The centre itself is always expanded.
    """
    seen = {centre}
    frontier = [centre]
    for _ in range(depth):
        reached = []
        for name in frontier:
            if name != centre and H.nodes[name]["kind"] == "department":
                continue
            for other in sorted(set(H.predecessors(name)) | set(H.successors(name))):
                if other not in seen:
                    seen.add(other)
                    reached.append(other)
        frontier = reached
    sub: Graph = H.subgraph(seen).copy()
    return sub


# ---------------------------------------------------------------------- layout


def _columns(H: Graph) -> list[tuple[float, list[str]]]:
    """(x, nodes first ordered by label) per drawn column; columns of kinds not drawn close up."""
    columns: dict[float, list[str]] = {}
    for name, data in H.nodes(data=True):
        columns.setdefault(NODE_STYLES[data["column"]][0], []).append(name)
    result: list[tuple[float, list[str]]] = []
    previous = 0.0
    for x in sorted(columns):
        at = result[-1][0] + min(x - previous, 1.0) if result else 0.0
        result.append((at, sorted(columns[x], key=lambda n: (str(H.nodes[n]["label"]), n))))
        previous = x
    return result


def _layout(H: Graph) -> dict[str, tuple[float, float]]:
    """(x, y) per node: x its column, y (rows from the top) after barycentre sweeps, settled near its links."""
    columns = [col for _, col in _columns(H)]
    xs = [x for x, _ in _columns(H)]
    fixed = _fixed_keys(H)
    neighbours = {n: sorted(set(H.predecessors(n)) | set(H.successors(n))) for n in H}
    rank = {n: float(i) / max(len(col) - 1, 1) for col in columns for i, n in enumerate(col)}
    sweep = list(range(len(columns))) + list(range(len(columns) - 2, -1, -1))
    for _ in range(4):
        for c in sweep:
            columns[c] = _by_barycentre(columns[c], neighbours, rank, fixed)
            rank.update({n: float(i) / max(len(columns[c]) - 1, 1) for i, n in enumerate(columns[c])})
    tallest = max((len(col) for col in columns), default=1)
    positions = {}
    for x, col in zip(xs, columns, strict=True):
        step = tallest / len(col)
        positions.update({n: (x, (i + 0.5) * step) for i, n in enumerate(col)})
    for c in sweep:
        if len(columns[c]) < tallest and not fixed.keys() & set(columns[c]):
            _settle(columns[c], positions, neighbours, tallest)
    _level_regions(H, positions)
    return positions


def _settle(
    column: list[str], positions: dict[str, tuple[float, float]], neighbours: dict[str, list[str]], tallest: int
) -> None:
    """Move each node of a short column towards the mean height of its links, one row apart at least."""
    x = positions[column[0]][0]
    wanted = []
    for name in column:
        linked = [positions[m][1] for m in neighbours[name] if positions[m][0] != x]
        wanted.append(sum(linked) / len(linked) if linked else positions[name][1])
    ys: list[float] = []
    for y in wanted:
        ys.append(max(y, ys[-1] + 1.0 if ys else 0.5))
    ys[-1] = min(ys[-1], tallest - 0.5)
    for i in range(len(ys) - 2, -1, -1):
        ys[i] = min(ys[i], ys[i + 1] - 1.0)
    positions.update({name: (x, y) for name, y in zip(column, ys, strict=True)})


def _fixed_keys(H: Graph) -> dict[str, tuple[str, str, int, str]]:
    """Regions and the territorial units covering them keep the region tree's order: new city, its streets."""
    keys = {}
    for region, data in H.nodes(data=True):
        if data["kind"] == "region":
            parents = sorted(v for _, v, k in H.out_edges(region, keys=True) if k == "part_of")
            city = parents[0] if parents else region
            keys[region] = (str(H.nodes[city]["label"]), city, 1 if parents else 0, str(H.nodes[region]["label"]))
    for unit, region, kind in H.edges(keys=True):
        if kind == "covers" and region in keys:
            keys[unit] = keys[region]
    return keys


def _by_barycentre(
    column: list[str],
    neighbours: dict[str, list[str]],
    rank: dict[str, float],
    fixed: dict[str, tuple[str, str, int, str]],
) -> list[str]:
    """The column reordered by the mean rank of each node's links in other columns; fixed nodes last, in order."""

    def key(item: tuple[int, str]) -> tuple[int, tuple[Any, ...]]:
        index, name = item
        if name in fixed:
            return 1, fixed[name]
        linked = [rank[m] for m in neighbours[name] if m not in members]
        return 0, ((sum(linked) / len(linked) if linked else rank[name]), index)

    members = set(column)
    return [name for _, name in sorted(enumerate(column), key=key)]


def _level_regions(H: Graph, positions: dict[str, tuple[float, float]]) -> None:
    """Put each region level with the one unit covering it, when every region has its own."""
    cover = {v: u for u, v, k in H.edges(keys=True) if k == "covers"}
    regions = [n for n, d in H.nodes(data=True) if d["kind"] == "region"]
    if regions and all(r in cover for r in regions) and len({cover[r] for r in regions}) == len(regions):
        positions.update({r: (positions[r][0], positions[cover[r]][1]) for r in regions})


# ---------------------------------------------------------------------- render


def _render(
    H: Graph, pos: dict[str, tuple[float, float]], font: FontProperties, G: Graph, centre: str | None
) -> Figure:
    from matplotlib.figure import Figure

    columns = sorted({x for x, _ in pos.values()})
    rows = max(max((sum(1 for p in pos.values() if p[0] == x) for x in columns), default=1), 6)
    row, column = (_ROW, _COLUMN) if rows > 40 else (0.3, 2.6)  # a small neighbourhood: taller rows, closer columns
    width, height = (max(max(columns, default=0), 2.0) + 1.2) * column, rows * row + _TOP + 0.3
    figure = Figure(figsize=(width, height))
    ax = figure.add_axes((0.01, 0.01, 0.98, 1 - (_TOP + 0.01) / height))
    ax.set_axis_off()
    ax.set_xlim(-0.6, max(columns, default=0) + 0.6)
    ax.set_ylim(rows + 0.3, -1.2)
    _draw_edges(ax, H, pos)
    _draw_nodes(ax, H, pos, font, centre)
    _headings(ax, H, pos, font)
    _legend(figure, H, font)
    _title(figure, H, G, font, centre)
    return figure


def _curve(start: tuple[float, float], end: tuple[float, float]) -> list[tuple[float, float]]:
    (x0, y0), (x1, y1) = start, end
    if x0 == x1:  # same column: bulge to the left
        bend = x0 - 0.12 - 0.01 * abs(y1 - y0)
        return [(x0, y0), (bend, y0), (bend, y1), (x1, y1)]
    middle = (x0 + x1) / 2
    return [(x0, y0), (middle, y0), (middle, y1), (x1, y1)]


def _draw_edges(ax: Axes, H: Graph, pos: dict[str, tuple[float, float]]) -> None:
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MplPath

    codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4]
    for order, kind in enumerate(EDGE_STYLES):
        color, width, alpha, _ = EDGE_STYLES[kind]
        links = sorted((u, v, float(d.get("weight", 1.0))) for u, v, d in H.edges(data=True) if d["kind"] == kind)
        if not links:
            continue
        paths = [MplPath(_curve(pos[u], pos[v]), codes) for u, v, _ in links]
        widths = [width * (0.3 + 1.7 * w) if kind == "close_to" else width for *_, w in links]
        ax.add_collection(
            PathCollection(
                paths, facecolors="none", edgecolors=color, linewidths=widths, alpha=alpha, zorder=1 + order / 100
            )
        )


def _draw_nodes(
    ax: Axes, H: Graph, pos: dict[str, tuple[float, float]], font: FontProperties, centre: str | None
) -> None:
    for name in sorted(H):
        data = H.nodes[name]
        x, y = pos[name]
        bold = name == centre or bool(data.get("key_field"))
        ax.text(
            x,
            y,
            str(data["label"]),
            ha="center",
            va="center",
            fontproperties=font,
            fontsize=_FONT_SIZE,
            fontweight="bold" if bold else "normal",
            zorder=3,
            bbox={
                "boxstyle": "round,pad=0.25",
                "facecolor": NODE_STYLES[data["column"]][1],
                "edgecolor": "black" if name == centre else "#555555",
                "linewidth": 1.6 if name == centre else 0.4,
            },
        )


def _headings(ax: Axes, H: Graph, pos: dict[str, tuple[float, float]], font: FontProperties) -> None:
    members: dict[str, list[str]] = {}
    for name, data in H.nodes(data=True):
        members.setdefault(str(data["column"]), []).append(name)
    for column, names in members.items():
        ax.text(
            pos[names[0]][0],
            -0.7,
            f"{NODE_STYLES[column][2]} ({len(names)})",
            ha="center",
            va="center",
            fontproperties=font,
            fontsize=11,
            fontweight="bold",
        )


def _legend(figure: Figure, H: Graph, font: FontProperties) -> None:
    from matplotlib.lines import Line2D

    drawn = _edge_kinds(H)
    handles = [
        Line2D([], [], color=EDGE_STYLES[k][0], linewidth=2, label=f"{EDGE_STYLES[k][3]} ({drawn.count(k)})")
        for k in EDGE_STYLES
        if k in drawn
    ]
    if handles:
        legend_font = font.copy()
        legend_font.set_size(9)
        figure.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 1 - 0.62 / figure.get_figheight()),
            ncols=min(len(handles), max(2, int(figure.get_figwidth() // 4.2))),
            frameon=False,
            prop=legend_font,
        )


def _title(figure: Figure, H: Graph, G: Graph, font: FontProperties, centre: str | None) -> None:
    scope = f" — {G.nodes[centre]['label']} ({centre})" if centre is not None else ""
    heading = f"{G.graph.get('name', '')} 管辖关系图 jurisdiction graph {G.graph.get('version', '')}{scope}"
    counts = (
        f"{H.number_of_nodes()} of {G.number_of_nodes()} nodes, {H.number_of_edges()} of "
        f"{G.number_of_edges()} edges drawn"
        + _omitted(H, G)
        + (
            "; bold items are in key fields (重点领域)"
            if any(d.get("key_field") for _, d in H.nodes(data=True))
            else ""
        )
    )
    top = figure.get_figheight()
    figure.text(
        0.5, 1 - 0.22 / top, heading, ha="center", va="center", fontproperties=font, fontsize=13, fontweight="bold"
    )
    figure.text(0.5, 1 - 0.45 / top, counts, ha="center", va="center", fontproperties=font, fontsize=9)


def _omitted(H: Graph, G: Graph) -> str:
    left_out = sorted(set(_edge_kinds(G)) - set(_edge_kinds(H)))
    return f" (not drawn: {', '.join(left_out)})" if left_out else ""


def _edge_kinds(G: Graph) -> list[str]:
    return [str(data["kind"]) for _, _, data in G.edges(data=True)]
