"""Exporting and drawing the jurisdiction graph: GraphML, DOT, and PNG pictures with Chinese labels.

matplotlib and pydot come with ``pip install "xxrules[graph]"``, which also brings a
CJK font (Noto Sans CJK); without one, drawing fails with :class:`~xxrules.errors.MissingFontError`
naming the install command.
"""

from xxrules.drawing.draw import draw_graph, png_bytes
from xxrules.drawing.export import FORMATS, to_dot, to_graphml, write_graph
from xxrules.drawing.fonts import CjkFont, find_cjk_font

__all__ = ["FORMATS", "CjkFont", "draw_graph", "find_cjk_font", "png_bytes", "to_dot", "to_graphml", "write_graph"]
