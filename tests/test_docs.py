"""The README documents every configuration key, every document kind, and the layout of
the tree (every top-level entry named, nothing named that is not there)."""

import re
import subprocess
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


def test_readme_table_of_who_confers_what_matches_the_authority_data():
    from datetime import date

    from domain.emulation.authority import powers_table

    rows = {}
    for line in README.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] and not cells[0].startswith("-"):
            rows[cells[0]] = cells[1:]
    for column, day in enumerate((date(2025, 6, 30), date(2025, 7, 1))):
        table = dict(powers_table(day))
        for decider, titles in table.items():
            assert rows[decider][column] == "; ".join(titles), (decider, day)
        for decider, cells in rows.items():
            if decider in dict(powers_table(date(2025, 6, 30))) and decider not in table:
                assert cells[column].startswith("—"), decider


def test_the_parser_output_contract_is_in_the_repository_and_cited_from_there():
    """docs/ingest-output.md is the contract's copy: no module cites the one outside."""
    root = Path(__file__).resolve().parents[1]
    needle = "shared/" + "reference"  # spelled in two so this file is not a hit itself
    outside = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if ".venv" not in path.parts and needle in path.read_text(encoding="utf-8")
    ]
    assert outside == []
    assert "docs/ingest-output.md" in README


def test_the_parser_returns_every_key_of_its_documented_contract():
    from ingest import parse_bytes

    contract = (Path(__file__).resolve().parents[1] / "docs" / "ingest-output.md").read_text(
        encoding="utf-8"
    )
    keys = re.findall(r"^\| `(\w+)` \|", contract, flags=re.M)
    result = parse_bytes("KẾ HOẠCH\nTổ chức hội thi\n".encode(), "ke-hoach.txt")
    assert len(keys) == 15 and [k for k in keys if k not in result] == []


def _layout_rows() -> list[str]:
    section = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `")]


def test_the_layout_table_names_every_top_level_entry_and_nothing_that_is_not_there():
    root = Path(__file__).resolve().parents[1]
    named = {
        path.rstrip("/")
        for row in _layout_rows()
        for path in re.findall(r"`([^`]+)`", row.split(" | ")[0])
    }
    missing = sorted(path for path in named if not (root / path).exists())
    assert missing == [], f"the layout table names what is not in the tree: {missing}"
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    top = {path.split("/", 1)[0] for path in tracked} - {"README.md", ".gitignore"}
    unnamed = sorted(top - named)
    assert unnamed == [], f"top-level entries the layout table does not name: {unnamed}"
