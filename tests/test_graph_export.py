"""Exporting and drawing the jurisdiction graph: GraphML, DOT, PNG, the CLI, fonts and determinism.

The PNG tests take one of two branches depending on whether this machine has a CJK
font; each branch is a real check (CI machines often have none).
"""

from __future__ import annotations

import io
import struct
import sys
import warnings
from pathlib import Path

import networkx as nx
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

import xxrules
from xxrules import drawing as xg
from xxrules.cli import app
from xxrules.drawing import fonts as _fonts
from xxrules.errors import ExportError, MissingDependencyError, MissingFontError

from .conftest import MINI, ROOT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pydot.dot_parser")

pydot = pytest.importorskip("pydot")
matplotlib = pytest.importorskip("matplotlib")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


LAST_RESORT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "LastResortHE-Regular.ttf"
# The test extra installs xxrules[graph]'s packaged font, so drawing is tested on every machine;
# the no-font path is tested by emptying the font search (the no_fonts fixture), never by a skip.
CJK = xg.find_cjk_font()


@pytest.fixture(scope="module")
def G(shipped: xxrules.RuleSet) -> nx.MultiDiGraph:
    return xxrules.jurisdiction_graph(shipped)


@pytest.fixture(scope="module")
def mini_graph(mini: xxrules.RuleSet) -> nx.MultiDiGraph:
    """The small rule set's graph: pydot's parser needs ~35 s for the shipped graph, well under 1 s for this."""
    return xxrules.jurisdiction_graph(mini)


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the font search at an empty set: matplotlib knows no font and the system folders hold none."""
    monkeypatch.setattr(_fonts, "packaged_font_files", list)
    monkeypatch.setattr(_fonts, "_known_faces", list)
    monkeypatch.setattr(_fonts, "_system_files", list)


@pytest.fixture
def only_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh machine as matplotlib 3.11 sees it: no CJK font, only its own "Last Resort" fallback font."""
    monkeypatch.setattr(_fonts, "packaged_font_files", list)
    monkeypatch.setattr(_fonts, "_known_faces", lambda: _fonts._faces_of([LAST_RESORT, DEJAVU]))
    monkeypatch.setattr(_fonts, "_system_files", list)


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "150", "NO_COLOR": "1"})


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _unquote(value: str) -> str:
    assert value.startswith('"') and value.endswith('"'), value
    return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")


# ---------------------------------------------------------------------- GraphML


def test_graphml_round_trips_nodes_edges_kinds_and_chinese_labels(G):
    back = nx.read_graphml(io.BytesIO(xg.to_graphml(G)), force_multigraph=True)
    assert set(back.nodes) == set(G.nodes)
    assert sorted(back.edges(keys=True)) == sorted(G.edges(keys=True))
    assert dict(back.nodes(data=True)) == dict(G.nodes(data=True))
    assert back.nodes["dept:market_regulation"]["label"] == "市场监督管理局"
    for u, v, key, data in G.edges(keys=True, data=True):
        assert back.edges[u, v, key] == data
    assert back.graph["name"] == "西咸新区"


def test_graphml_refuses_an_attribute_it_cannot_hold(G):
    H = G.copy()
    H.nodes["dept:approval"]["aliases"] = ["审批局"]
    with pytest.raises(ExportError, match="node dept:approval attribute 'aliases' of type list"):
        xg.to_graphml(H)


# ---------------------------------------------------------------------- DOT


def test_dot_parses_back_with_every_node_edge_and_chinese_label(mini_graph):
    G = mini_graph
    (dot,) = pydot.graph_from_dot_data(xg.to_dot(G))
    nodes = {_unquote(n.get_name()): n for n in dot.get_nodes() if n.get_name() not in ("node", "edge", "graph")}
    assert set(nodes) == set(G.nodes)  # "dept:approval" stays one node, not node dept port approval
    assert len(dot.get_edges()) == G.number_of_edges()
    for name, data in G.nodes(data=True):
        assert _unquote(nodes[name].get("label")) == data["label"]
    assert _unquote(dot.get_name()) == G.graph["name"]


def test_dot_of_the_shipped_graph_has_every_node_once(G):
    lines = xg.to_dot(G).splitlines()
    declared = [line.split(" [", 1)[0] for line in lines if line.startswith('"') and " -> " not in line]
    assert sorted(declared) == sorted(f'"{n}"' for n in G)
    assert sum(" -> " in line for line in lines) == G.number_of_edges()
    assert 'label="市场监督管理局"' in "\n".join(lines)


def test_dot_quotes_labels_with_quotes_spaces_and_backslashes(mini_graph):
    H = mini_graph.copy()
    name = next(n for n in H if n.startswith("dept:"))
    H.nodes[name]["label"] = '燃气 "瓶装" \\ 管道'
    (dot,) = pydot.graph_from_dot_data(xg.to_dot(H))
    (node,) = dot.get_node(f'"{name}"')
    assert _unquote(node.get("label")) == '燃气 "瓶装" \\ 管道'


def test_dot_keeps_closeness_apart_from_graphviz_weight(G):
    text = xg.to_dot(G)
    assert "closeness=" in text and "weight=" not in text


def test_missing_pydot_gives_the_install_hint(G, monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)  # import pydot now raises ImportError
    with pytest.raises(MissingDependencyError, match=r'pip install "xxrules\[graph\]"'):
        xg.to_dot(G)


def test_missing_matplotlib_gives_the_install_hint(G, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingDependencyError, match=r'matplotlib .*pip install "xxrules\[graph\]"'):
        xg.draw_graph(G, focus="field:gas")


def test_cli_without_pydot_exits_2_with_the_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    result = run("graph", "--rules", str(MINI), "--format", "dot")
    assert result.exit_code == 2 and 'pip install "xxrules[graph]"' in result.stderr


# ---------------------------------------------------------------------- fonts


def test_font_search_over_an_empty_set_names_the_install_command():
    with pytest.raises(MissingFontError) as caught:
        xg.find_cjk_font(search=[])
    message = str(caught.value)
    assert "apt install fonts-noto-cjk" in message and "--font PATH" in message
    assert isinstance(caught.value, xxrules.XxrulesError)


def test_a_font_without_chinese_glyphs_is_refused():
    with pytest.raises(MissingFontError, match="DejaVu Sans.*no glyphs.*fonts-noto-cjk"):
        xg.find_cjk_font(DEJAVU)


def test_a_missing_font_file_is_named(tmp_path):
    with pytest.raises(MissingFontError, match="font file not found"):
        xg.find_cjk_font(tmp_path / "nothing.ttf")


def test_only_fonts_in_the_search_are_considered():
    with pytest.raises(MissingFontError):
        xg.find_cjk_font(search=[DEJAVU])


def test_the_chosen_font_covers_the_department_names(G):
    from matplotlib.ft2font import FT2Font

    labels = "".join(str(label) for _, label in G.nodes(data="label"))
    font = xg.find_cjk_font(text=labels)
    charmap = FT2Font(str(font.path), face_index=font.index).get_charmap()
    assert all(ord(ch) in charmap for ch in "市场监督管理局" + labels if not ch.isspace())
    assert xg.find_cjk_font(font.path).path == font.path  # the same file, given explicitly, is accepted


# ---------------------------------------------------------------------- PNG


def test_png_of_the_whole_graph_is_written(G, tmp_path):
    target = tmp_path / "graph.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        xg.write_graph(G, target, "png")
    assert not [w for w in caught if "missing from font" in str(w.message)]  # no label drawn as boxes
    data = target.read_bytes()
    width, height = _png_size(data)
    assert width > 1200 and height > 1200 and len(data) > 200_000
    assert "column" not in G.nodes["dept:approval"]  # drawing does not change the graph


def test_png_focus_draws_a_neighbourhood_only(G):
    figure = xg.draw_graph(G, focus="field:food_safety", edge_kinds=["leads", "in_field", "owns", "holds"])
    texts = {t.get_text() for t in figure.axes[0].texts}
    assert {"食品安全", "学校食堂食品安全监管", "市场监督管理局"} <= texts
    assert "城镇燃气用气安全监管" not in texts


def test_png_with_only_a_placeholder_font_says_how_to_install_one(G, tmp_path, only_last_resort):
    with pytest.raises(MissingFontError, match=r'pip install "xxrules\[graph\]".*apt install fonts-noto-cjk'):
        xg.write_graph(G, tmp_path / "graph.png", "png")
    assert not (tmp_path / "graph.png").exists()


@pytest.mark.skipif(not LAST_RESORT.exists(), reason="this matplotlib ships no Last Resort font")
def test_a_font_mapping_every_character_to_one_placeholder_glyph_is_refused():
    with pytest.raises(MissingFontError, match="Last Resort.*no glyphs"):
        xg.find_cjk_font(LAST_RESORT)
    with pytest.raises(MissingFontError):
        xg.find_cjk_font(search=[LAST_RESORT])


def test_the_packaged_font_is_found_first_and_selected_by_file():
    (packaged,) = _fonts.packaged_font_files()
    assert CJK.path == packaged and CJK.family == "Noto Sans CJK SC"
    properties = CJK.properties()
    assert Path(properties.get_file()) == packaged and properties.get_name() == "Noto Sans CJK SC"


def test_png_with_the_font_search_emptied_says_how_to_install_one(G, tmp_path, no_fonts):
    with pytest.raises(MissingFontError, match="fonts-noto-cjk"):
        xg.write_graph(G, tmp_path / "graph.png", "png")
    assert not (tmp_path / "graph.png").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"focus": "燃气"}, "several nodes"),
        ({"focus": "市场监管局"}, "did you mean"),
        ({"edge_kinds": ["leads", "bosses"]}, "unknown edge kind"),
        ({"node_kinds": ["street"]}, "unknown node kind"),
    ],
)
def test_bad_drawing_options_are_export_errors(G, options, message):
    with pytest.raises(ExportError, match=message):
        xg.draw_graph(G, **options)  # checked before any font is looked for


def test_unknown_format_and_misplaced_options_are_refused(G):
    with pytest.raises(ExportError, match="unknown graph format"):
        xg.write_graph(G, io.BytesIO(), "svg")
    with pytest.raises(ExportError, match="png only"):
        xg.write_graph(G, io.BytesIO(), "graphml", focus="gas")


# ---------------------------------------------------------------------- CLI


def test_cli_graphml_to_stdout_parses():
    result = run("graph")
    assert result.exit_code == 0, result.stderr
    back = nx.read_graphml(io.BytesIO(result.stdout_bytes), force_multigraph=True)
    assert back.nodes["dept:market_regulation"]["label"] == "市场监督管理局"


def test_cli_dot_to_file(tmp_path, mini_graph):
    target = tmp_path / "graph.dot"
    result = run("graph", "--rules", str(MINI), "--format", "dot", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    (dot,) = pydot.graph_from_dot_data(target.read_text(encoding="utf-8"))
    for name, label in mini_graph.nodes(data="label"):
        assert _unquote(dot.get_node(f'"{name}"')[0].get("label")) == label


def test_cli_png(tmp_path):
    target = tmp_path / "food.png"
    result = run("graph", "--format", "png", "-o", str(target), "--focus", "field:food_safety", "--depth", "1")
    assert result.exit_code == 0, result.stderr
    assert _png_size(target.read_bytes())[0] > 500


def test_cli_png_on_a_machine_with_only_a_placeholder_font_exits_2_with_the_hint(tmp_path, only_last_resort):
    result = run("graph", "--format", "png", "-o", str(tmp_path / "g.png"))
    assert result.exit_code == 2, result.output
    assert "fonts-noto-cjk" in result.stderr and "Traceback" not in result.output


def test_cli_png_without_font_exits_2_with_the_hint(tmp_path, no_fonts):
    result = run("graph", "--format", "png", "-o", str(tmp_path / "g.png"))
    assert result.exit_code == 2
    assert "apt install fonts-noto-cjk" in result.stderr and "Traceback" not in result.output


def test_cli_png_with_a_non_cjk_font_exits_2(tmp_path):
    result = run("graph", "--format", "png", "-o", str(tmp_path / "g.png"), "--font", str(DEJAVU))
    assert result.exit_code == 2 and "no glyphs" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "png"], "needs --output"),
        (["--focus", "gas"], "for --format png only"),
        (["--format", "png", "-o", "x.png", "--edges", "leads,bosses"], "unknown edge kind"),
    ],
)
def test_cli_usage_errors_exit_2(args, message):
    result = run("graph", "--rules", str(MINI), *args)
    assert result.exit_code == 2 and message in result.stderr


def test_cli_help_describes_formats_and_fonts():
    result = run("graph", "--help")
    assert result.exit_code == 0
    assert "graphml" in result.stdout and "fonts-noto-cjk" in result.stdout


# ---------------------------------------------------------------------- determinism


def _copy_rules(target: Path, rename: dict[str, str], reverse: bool) -> Path:
    """The shipped rules under other file names, each list section's entries reversed if asked."""
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    target.mkdir()
    for path in sorted((ROOT / "rules" / "xixian").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        if reverse:
            data = {k: (v[::-1] if isinstance(v, list) else v) for k, v in reversed(data.items())}
        with open(target / rename.get(path.name, path.name), "w", encoding="utf-8") as stream:
            yaml.dump(data, stream)
    return target


@pytest.fixture(scope="module")
def reordered(tmp_path_factory) -> list[nx.MultiDiGraph]:
    base = tmp_path_factory.mktemp("orders")
    names = sorted(p.name for p in (ROOT / "rules" / "xixian").glob("*.yaml"))
    backwards = {name: f"{i:02d}-{name}" for i, name in enumerate(reversed(names))}
    return [
        xxrules.jurisdiction_graph(xxrules.load_ruleset(_copy_rules(base / "a", {}, reverse=True))),
        xxrules.jurisdiction_graph(xxrules.load_ruleset(_copy_rules(base / "b", backwards, reverse=False))),
    ]


def test_graphml_and_dot_are_the_same_bytes_whatever_the_file_order(G, reordered):
    for other in reordered:
        assert xg.to_graphml(other) == xg.to_graphml(G)
        assert xg.to_dot(other) == xg.to_dot(G)


def test_png_is_the_same_bytes_whatever_the_file_order(G, reordered):
    def png(graph: nx.MultiDiGraph) -> bytes:
        buffer = io.BytesIO()
        xg.write_graph(graph, buffer, "png", focus="field:gas", font=CJK)
        return buffer.getvalue()

    assert png(reordered[0]) == png(reordered[1]) == png(G)
