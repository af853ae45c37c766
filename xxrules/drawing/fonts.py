"""Finding an installed font that can draw Chinese labels.

matplotlib's default font (DejaVu Sans) has no CJK glyphs: every Chinese label
would come out as empty boxes. :func:`find_cjk_font` looks through the fonts
matplotlib knows (and, when its cache predates a new install, the system's font
folders) for one whose character map covers the text to draw, preferring the
common Simplified Chinese sans-serif families.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xxrules.errors import MissingDependencyError, MissingFontError

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

__all__ = ["PROBE_TEXT", "CjkFont", "find_cjk_font", "require"]

#: Text every candidate must cover, whatever else is drawn.
PROBE_TEXT = "市场监督管理局"

#: Families tried first, best first (Simplified Chinese sans-serif faces).
PREFERRED_FAMILIES = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "SimHei", "Heiti SC",
    "Noto Sans CJK JP", "Source Han Sans", "Droid Sans Fallback", "AR PL UMing CN", "Noto Serif CJK SC",
)

INSTALL_HINT = (
    "install one, e.g. `sudo apt install fonts-noto-cjk` (Debian/Ubuntu), `sudo dnf install "
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
        """matplotlib font properties selecting this face (registered with the font manager if needed)."""
        from matplotlib import font_manager

        known = {(Path(e.fname), e.name) for e in font_manager.fontManager.ttflist}
        if (self.path, self.family) not in known:
            font_manager.fontManager.addfont(str(self.path))
        return font_manager.FontProperties(family=self.family)


def require(module: str, package: str) -> None:
    """Raise :class:`MissingDependencyError` with an install hint when ``module`` cannot be imported."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{package} is needed for this and is not installed: pip install \"xxrules[graph]\" "
            f"(or pip install {package})"
        ) from None


def find_cjk_font(font: str | Path | None = None, *, text: str = "",
                  search: Iterable[str | Path] | None = None) -> CjkFont:
    """The installed font face that best draws ``text`` (and :data:`PROBE_TEXT`).

    ``font`` names a font file to use instead of searching (it must cover the text).
    ``search`` lists the font files to consider; by default, every font matplotlib
    knows, then the system's font folders. Raises :class:`MissingFontError`, naming
    the install command, when no face covers the text.
    """
    require("matplotlib", "matplotlib")
    needed = {ch for ch in PROBE_TEXT + text if not ch.isspace()}
    if font is not None:
        return _checked_file(Path(font), needed)
    candidates = _known_faces() if search is None else _faces_of(search)
    best = _first_covering(candidates, needed)
    if best is None and search is None:
        best = _first_covering(_faces_of(_system_files()), needed)
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
    raise MissingFontError(f"font {path} ({faces[0].family}) has no glyphs for {missing!r}: it is not a CJK "
                           f"font; {INSTALL_HINT}")


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
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(str(face.path), face_index=face.index).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return needed
    return {ch for ch in needed if ord(ch) not in charmap}


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
