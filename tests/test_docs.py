"""The README documents every configuration key and every document kind."""

from pathlib import Path

import config
from render.manifest import KINDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_config_key():
    missing = [s.name for s in config.SETTINGS if f"| `{s.name}` |" not in README]
    assert missing == []


def test_readme_lists_every_document_kind():
    assert [k for k in KINDS if f"| `{k}` |" not in README] == []


def test_readme_gives_the_two_setup_commands():
    assert "make run" in README and "make test" in README
