"""Finding a font that can really draw Chinese labels, and selecting it by file.

matplotlib's default font (DejaVu Sans) has no CJK glyphs: every Chinese label
would come out as empty boxes. :func:`find_cjk_font` tries the font that
``pip install "xxrules[graph]"`` brings (Noto Sans CJK, from the PyPI package
``noto-cjk-sans-otc``, SIL OFL 1.1), then the fonts matplotlib knows, then the
system's font folders, preferring the common Simplified Chinese sans-serif families.

A character map is not enough: fallback fonts such as matplotlib's own "Last Resort"
map every code point to one placeholder glyph. A face counts only when the probe's
distinct characters have distinct glyphs with real outlines. The chosen face is
handed to matplotlib by file path and face index, never by family name (a family
name is parsed as a fontconfig pattern, and "Last Resort High-Efficiency" is not one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xxrules.errors import MissingDependencyError, MissingFontError

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties
    from matplotlib.ft2font import FT2Font

__all__ = ["PROBE_TEXT", "CjkFont", "find_cjk_font", "packaged_font_files", "require"]

#: Text every candidate must cover, whatever else is drawn.
PROBE_TEXT = "市场监督管理局"

#: Families tried first, best first (Simplified Chinese sans-serif faces).
PREFERRED_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Source Han Sans",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Serif CJK SC",
)

INSTALL_HINT = (
    'install one: pip install "xxrules[graph]" brings Noto Sans CJK, or e.g. `sudo apt install fonts-noto-cjk` '
    "(Debian/Ubuntu), `sudo dnf install "
    "google-noto-sans-cjk-fonts` (Fedora) or `brew install --cask font-noto-sans-cjk` (macOS), "
    "or point to a font file with --font PATH (font=... in Python)"
)


@dataclass(frozen=True, order=True)
class CjkFont:
    """A font face that covers the labels: file, face index (in a .ttc collection) and family name."""

    path: Path
    index: int
    family: str

    def properties(self) -> FontProperties:
        """matplotlib font properties selecting this face by its file and face index."""
        from matplotlib import font_manager

        return font_manager.FontProperties(fname=font_manager.FontPath(str(self.path), self.index))


def packaged_font_files() -> list[Path]:
    """The CJK font files that Python packages ship (``pip install "xxrules[graph]"`` brings one)."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return []
    return [Path(str(noto_cjk_sans_otc.FONT_PATH))]


def require(module: str, package: str) -> None:
    """Raise :class:`MissingDependencyError` with an install hint when ``module`` cannot be imported."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f'{package} is needed for this and is not installed: pip install "xxrules[graph]" '
            f"(or pip install {package})"
        ) from None


def find_cjk_font(
    font: str | Path | None = None, *, text: str = "", search: Iterable[str | Path] | None = None
) -> CjkFont:
    """The installed font face that best draws ``text`` (and :data:`PROBE_TEXT`).

    ``font`` names a font file to use instead of searching (it must cover the text).
    ``search`` lists the font files to consider; by default, the packaged font, then
    every font matplotlib knows, then the system's font folders. Raises
    :class:`MissingFontError`, naming the install command, when no face really draws the text.
    """
    require("matplotlib", "matplotlib")
    needed = {ch for ch in PROBE_TEXT + text if not ch.isspace()}
    if font is not None:
        return _checked_file(Path(font), needed)
    if search is not None:
        best = _first_covering(_faces_of(search), needed)
    else:
        best = _first_covering(_faces_of(packaged_font_files()), needed)
        best = best or _first_covering(_known_faces(), needed)
        best = best or _first_covering(_faces_of(_system_files()), needed)
    if best is None:
        raise MissingFontError(f"no installed font covers the Chinese labels (e.g. {PROBE_TEXT}); {INSTALL_HINT}")
    return best


def _checked_file(path: Path, needed: set[str]) -> CjkFont:
    if not path.is_file():
        raise MissingFontError(f"font file not found: {path}")
    faces = _faces_of([path])
    if not faces:
        raise MissingFontError(f"{path} is not a font file matplotlib can read")
    for face in faces:
        if not _missing(face, needed):
            return face
    missing = "".join(sorted(_missing(faces[0], needed)))[:20]
    raise MissingFontError(
        f"font {path} ({faces[0].family}) has no glyphs for {missing!r}: it is not a CJK font; {INSTALL_HINT}"
    )


def _rank(face: CjkFont) -> tuple[int, str, str, int]:
    order = PREFERRED_FAMILIES.index(face.family) if face.family in PREFERRED_FAMILIES else len(PREFERRED_FAMILIES)
    bold = "bold" in face.path.name.lower()
    return order, str(bold), str(face.path), face.index


def _first_covering(faces: Iterable[CjkFont], needed: set[str]) -> CjkFont | None:
    for face in sorted(set(faces), key=_rank):
        if not _missing(face, needed):
            return face
    return None


def _missing(face: CjkFont, needed: set[str]) -> set[str]:
    """The characters of ``needed`` the face cannot really draw (all of them for a placeholder font)."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(str(face.path), face_index=face.index)
        charmap = font.get_charmap()
        if not _has_real_outlines(font, charmap):
            return needed
    except (OSError, RuntimeError, ValueError):
        return needed
    return {ch for ch in needed if ord(ch) not in charmap}


def _has_real_outlines(font: FT2Font, charmap: Mapping[int, object]) -> bool:
    """Distinct probe characters have distinct glyphs, each with an outline (not one fallback box for all)."""
    from matplotlib.ft2font import LoadFlags

    glyphs = {charmap.get(ord(ch)) for ch in PROBE_TEXT}
    if None in glyphs or len(glyphs) < len(set(PROBE_TEXT)):
        return False
    for ch in PROBE_TEXT:
        font.load_char(ord(ch), flags=LoadFlags.NO_SCALE)
        if len(font.get_path()[0]) == 0:
            return False
    return True


def _known_faces() -> list[CjkFont]:
    from matplotlib import font_manager

    return [CjkFont(Path(e.fname), int(getattr(e, "index", 0)), e.name) for e in font_manager.fontManager.ttflist]


def _system_files() -> list[str]:
    from matplotlib import font_manager

    return sorted(set(font_manager.findSystemFonts()))


def _faces_of(paths: Iterable[str | Path]) -> list[CjkFont]:
    """Every face of every readable font file in ``paths``."""
    from matplotlib.ft2font import FT2Font

    faces = []
    for path in paths:
        try:
            first = FT2Font(str(path))
            count = max(int(getattr(first, "num_faces", 1)), 1)
            for index in range(count):
                face = first if index == 0 else FT2Font(str(path), face_index=index)
                faces.append(CjkFont(Path(path), index, face.family_name))
        except (OSError, RuntimeError, ValueError):
            continue
    return faces
