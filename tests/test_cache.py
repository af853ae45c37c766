"""The load cache: a hit routes exactly like a fresh load; any change of the files or the versions misses;
a missing, corrupt, foreign or unreadable cache file is rebuilt silently."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import xxrules
from xxrules.routing import cache as disk_cache
from xxrules.routing import ruleset as ruleset_module
from xxrules.rulefiles.load import shipped_rules

from .conftest import FIXTURES, MINI

SAMPLE = FIXTURES / "clues" / "sample.jsonl"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XXRULES_CACHE_DIR", str(folder))
    monkeypatch.delenv("XXRULES_CACHE", raising=False)
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The roots compiled from their files (a cache hit compiles nothing)."""
    built: list[object] = []
    load_all = ruleset_module.load_all

    def counting(root: Any) -> Any:
        built.append(root)
        return load_all(root)

    monkeypatch.setattr(ruleset_module, "load_all", counting)
    return built


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the shipped pack that a test may edit."""
    return Path(shutil.copytree(Path(str(shipped_rules())), tmp_path / "pack"))


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def decisions(ruleset: xxrules.RuleSet, engine: str = "default") -> Iterator[dict[str, Any]]:
    with SAMPLE.open("rb") as lines:
        for decision in ruleset.route_lines(lines, engine=engine):
            yield decision.model_dump(mode="json")


# ------------------------------------------------------------------------ hits


def test_a_cache_hit_routes_the_sample_exactly_like_a_load_without_cache(cache_dir: Path, builds: list[object]):
    fresh = xxrules.load_ruleset(cache=False)
    xxrules.load_ruleset()  # compiles and writes the cache
    cached = xxrules.load_ruleset()
    assert len(builds) == 2 and len(entries(cache_dir)) == 1
    assert cached.fingerprint == fresh.fingerprint and cached == fresh
    assert cached.to_dict() == fresh.to_dict() and cached.dump() == fresh.dump()
    assert cached.warnings == fresh.warnings and repr(cached) == repr(fresh)
    assert cached.position("items", "gas_safety") == fresh.position("items", "gas_safety") is not None
    assert list(decisions(cached)) == list(decisions(fresh))


def test_a_cache_hit_builds_the_durable_engine_like_a_fresh_load(cache_dir: Path, builds: list[object]):
    fresh = xxrules.load_ruleset(MINI, cache=False)
    xxrules.load_ruleset(MINI)
    cached = xxrules.load_ruleset(MINI)
    assert len(builds) == 2
    assert list(decisions(cached, "durable")) == list(decisions(fresh, "durable"))


def test_a_cached_rule_set_still_pickles_as_its_spec(cache_dir: Path):
    xxrules.load_ruleset(MINI)
    cached = xxrules.load_ruleset(MINI)
    clone = pickle.loads(pickle.dumps(cached))
    assert clone == cached and clone.route({"id": "c", "text": "学校食堂饭菜馊了"}) == cached.route(
        {"id": "c", "text": "学校食堂饭菜馊了"}
    )


def test_an_unpickled_rule_set_is_built_once_then_read_from_the_cache(cache_dir: Path, monkeypatch):
    # worker processes (route_many(workers=N), Dask, Spark) unpickle the same rule set again and again
    data = pickle.dumps(xxrules.load_ruleset(MINI, cache=False))
    built: list[object] = []
    build = xxrules.RuleSet._build
    monkeypatch.setattr(xxrules.RuleSet, "_build", lambda self: built.append(self) or build(self))
    first, second = pickle.loads(data), pickle.loads(data)
    assert len(built) == 1 and len(entries(cache_dir)) == 1
    assert second == first and second.position("items", "prepaid_card") == first.position("items", "prepaid_card")
    assert list(decisions(second)) == list(decisions(first)) == list(decisions(xxrules.load_ruleset(MINI)))


def test_unpickling_without_the_cache_builds_every_time(cache_dir: Path, monkeypatch):
    data = pickle.dumps(xxrules.load_ruleset(MINI, cache=False))
    monkeypatch.setenv("XXRULES_CACHE", "0")
    built: list[object] = []
    build = xxrules.RuleSet._build
    monkeypatch.setattr(xxrules.RuleSet, "_build", lambda self: built.append(self) or build(self))
    pickle.loads(data), pickle.loads(data)
    assert len(built) == 2 and entries(cache_dir) == []


# ---------------------------------------------------------------------- misses


def test_a_changed_byte_in_a_rule_file_misses(cache_dir: Path, builds: list[object], pack: Path):
    before = xxrules.load_ruleset(pack)
    profile = pack / "profile.yaml"
    data, stat = profile.read_bytes(), profile.stat()
    at = data.index(b"# ") + 2
    profile.write_bytes(data[:at] + (b"X" if data[at : at + 1] != b"X" else b"Y") + data[at + 1 :])
    os.utime(profile, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: only the content differs
    after = xxrules.load_ruleset(pack)
    assert len(builds) == 2 and len(entries(cache_dir)) == 2
    assert after.fingerprint == before.fingerprint  # a comment: the rules are the same


def test_an_added_rule_file_misses(cache_dir: Path, builds: list[object], pack: Path):
    xxrules.load_ruleset(pack)
    (pack / "extra.yaml").write_text("{}\n", encoding="utf-8")
    xxrules.load_ruleset(pack)
    assert len(builds) == 2


def test_a_pack_edited_while_it_compiles_is_not_cached(cache_dir: Path, pack: Path, monkeypatch: pytest.MonkeyPatch):
    load_all = ruleset_module.load_all

    def edited_meanwhile(root: Any) -> Any:
        found = load_all(root)
        (pack / "extra.yaml").write_text("{}\n", encoding="utf-8")
        return found

    monkeypatch.setattr(ruleset_module, "load_all", edited_meanwhile)
    xxrules.load_ruleset(pack)
    assert entries(cache_dir) == []


def test_another_xxrules_version_misses(cache_dir: Path, builds: list[object], monkeypatch: pytest.MonkeyPatch):
    xxrules.load_ruleset(MINI)
    monkeypatch.setattr(xxrules, "__version__", "99.0")
    xxrules.load_ruleset(MINI)
    assert len(builds) == 2 and len(entries(cache_dir)) == 2


def test_another_library_version_misses(cache_dir: Path, monkeypatch: pytest.MonkeyPatch):
    key = disk_cache.rules_key(MINI)
    monkeypatch.setattr(disk_cache, "_library_versions", lambda: ("pydantic=0.1",))
    assert disk_cache.rules_key(MINI) not in (None, key)


def test_the_key_holds_every_file_name_and_content_whatever_the_listing_order(pack: Path):
    key = disk_cache.rules_key(pack)
    assert key == disk_cache.rules_key(pack) and len(key or "") == 64
    (pack / "items.yaml").rename(pack / "items2.yaml")
    assert disk_cache.rules_key(pack) != key


# ------------------------------------------------------------- bad cache files


def the_entry(folder: Path) -> Path:
    [entry] = entries(folder)
    return entry


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[: data.index(b"\n") + 1] + b"not a pickle", id="garbage-after-the-key"),
        pytest.param(lambda data: data[: data.index(b"\n") + 1] + pickle.dumps({"x": 1}), id="another-object"),
        pytest.param(lambda data: os.urandom(4096), id="random"),
    ],
)
def test_a_corrupt_cache_file_is_ignored_and_rebuilt(cache_dir: Path, builds: list[object], spoil: Any):
    expected = xxrules.load_ruleset(MINI)
    entry = the_entry(cache_dir)
    entry.write_bytes(spoil(entry.read_bytes()))
    assert xxrules.load_ruleset(MINI) == expected
    assert xxrules.load_ruleset(MINI) == expected  # the rebuilt entry is a hit
    assert len(builds) == 2


class _Recorder:
    """Unpickling it appends to ``UNPICKLED``: proof that a file was (or was not) unpickled."""

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return UNPICKLED.append, ("unpickled",)


UNPICKLED: list[str] = []


def test_a_cache_file_holding_another_key_is_refused_before_unpickling(cache_dir: Path, builds: list[object]):
    xxrules.load_ruleset(MINI)
    entry = the_entry(cache_dir)
    UNPICKLED.clear()
    entry.write_bytes(b"xxrules-ruleset-cache " + b"0" * 64 + b"\n" + pickle.dumps(_Recorder()))
    assert xxrules.load_ruleset(MINI).fingerprint == xxrules.load_ruleset(MINI, cache=False).fingerprint
    assert UNPICKLED == [] and len(builds) == 3


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_file_others_may_write_is_not_read(cache_dir: Path, builds: list[object]):
    xxrules.load_ruleset(MINI)
    the_entry(cache_dir).chmod(0o666)
    xxrules.load_ruleset(MINI)
    assert len(builds) == 2
    assert the_entry(cache_dir).stat().st_mode & 0o777 == 0o600  # rewritten as the user's own


def test_a_cache_folder_that_cannot_be_made_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XXRULES_CACHE_DIR", str(blocker / "cache"))
    assert xxrules.load_ruleset(MINI) == xxrules.load_ruleset(MINI, cache=False)


def test_a_deleted_cache_folder_is_made_again(cache_dir: Path, builds: list[object]):
    xxrules.load_ruleset(MINI)
    shutil.rmtree(cache_dir)
    xxrules.load_ruleset(MINI)
    xxrules.load_ruleset(MINI)
    assert len(builds) == 2 and len(entries(cache_dir)) == 1


# ------------------------------------------------------------------ switches


def test_cache_false_neither_reads_nor_writes(cache_dir: Path, builds: list[object]):
    xxrules.load_ruleset(MINI, cache=False)
    assert not cache_dir.exists()
    xxrules.load_ruleset(MINI)
    xxrules.load_ruleset(MINI, cache=False)
    assert len(builds) == 3 and len(entries(cache_dir)) == 1


@pytest.mark.parametrize("value", ["0", "false", "OFF", "no"])
def test_xxrules_cache_0_turns_it_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch, value: str):
    monkeypatch.setenv("XXRULES_CACHE", value)
    xxrules.load_ruleset(MINI)
    assert not cache_dir.exists()


def test_the_cache_lives_in_xxrules_cache_dir(cache_dir: Path):
    xxrules.load_ruleset(MINI)
    entry = the_entry(cache_dir)
    assert entry.name == f"{disk_cache.rules_key(MINI)}.pickle"
    assert not [p for p in cache_dir.iterdir() if p.suffix != ".pickle"]  # no temporary file left behind


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG applies on Linux and the BSDs")
def test_without_xxrules_cache_dir_it_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("XXRULES_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert disk_cache.cache_dir() == tmp_path / "xxrules"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert disk_cache.cache_dir() == tmp_path / "home" / ".cache" / "xxrules"


def test_only_the_newest_entries_are_kept(cache_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(disk_cache, "MAX_ENTRIES", 2)
    for number in range(3):
        disk_cache.write(f"{number:064x}", {"entry": number})
        os.utime(cache_dir / f"{number:064x}.pickle", (number, number))
    assert [p.name for p in entries(cache_dir)] == [f"{1:064x}.pickle", f"{2:064x}.pickle"]
    assert disk_cache.read(f"{2:064x}") == {"entry": 2}


def test_the_cli_reads_the_cache_too(cache_dir: Path, builds: list[object]):
    from typer.testing import CliRunner

    from xxrules.cli import app

    runner = CliRunner()
    first = runner.invoke(app, ["explain", "--format", "json", "--rules", str(MINI), "学校食堂饭菜馊了"])
    second = runner.invoke(app, ["explain", "--format", "json", "--rules", str(MINI), "学校食堂饭菜馊了"])
    assert first.exit_code == second.exit_code == 0 and len(builds) == 1
    assert json.loads(first.stdout) == json.loads(second.stdout)


_EXPLAIN = """
import sys
sys.argv = ["xxrules", "explain", "小区门口液化气罐漏气"]
from xxrules.cli import main
try:
    main()
except SystemExit:
    pass
heavy = ("networkx", "scipy", "numpy", "pandas", "matplotlib", "datasketch", "jieba", "openpyxl", "durable",
         "xxrules.planning", "xxrules.workbench", "xxrules.monitor", "xxrules.transfers", "xxrules.drawing",
         "xxrules.rulings", "xxrules.engines.durable.router")
print("HEAVY", sorted(name for name in heavy if name in sys.modules))
"""


@pytest.mark.slow
def test_explaining_with_a_warm_cache_imports_no_heavy_library(cache_dir: Path):
    """``xxrules explain`` starts fast: what it does not need (the graph, planning, the workbench, the monitor,
    transfers, drawing, durable_rules) is not imported."""
    env = {**os.environ, "PYTHONPATH": str(Path(xxrules.__file__).parent.parent)}
    runs = [
        subprocess.run([sys.executable, "-c", _EXPLAIN], env=env, capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert "城市管理和交通运输局" in runs[1].stdout
    assert runs[1].stdout.rstrip().endswith("HEAVY []"), runs[1].stdout[-300:]
