"""The docs site's API page documents every public name, so the reference cannot fall behind ``__all__``."""

from __future__ import annotations

import re

import xxrules

from .conftest import ROOT


def test_the_api_page_documents_every_public_name():
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = set(re.findall(r"^::: (xxrules[\w.]*)\s*$", page, flags=re.M))
    missing = [
        name
        for name in xxrules.__all__
        if f"xxrules.{name}" not in blocks and getattr(xxrules, name).__module__ not in blocks
    ]
    assert not missing, f"docs/api.md does not document: {', '.join(missing)}"


def test_the_readme_stays_short_and_keeps_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    assert '.venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest' in readme
    assert "xxrules route fixtures/clues/sample.jsonl" in readme


def test_the_rules_page_lists_every_error_code():
    from xxrules.errors import ISSUE_CODES, WARNING_CODES

    page = (ROOT / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    missing = [code for code in [*ISSUE_CODES, *WARNING_CODES] if f"| {code} |" not in page]
    assert not missing, f"docs/writing-rules.md does not list: {', '.join(missing)}"
