"""docs/story-format.md stays true: every YAML example loads, the minimal one is under 20 lines, and the
derivation table's examples are found."""
from __future__ import annotations

import re

import pytest

from helpers.paths import PROJ_ROOT
from helpers.story import load_story

DOC = (PROJ_ROOT / "docs" / "story-format.md").read_text(encoding="utf-8")
BLOCKS = [b for b in re.findall(r"```yaml\n(.*?)```", DOC, re.S) if "sides:" in b]


def test_doc_has_a_minimal_full_media_and_neutral_story():
    assert len(BLOCKS) >= 3
    assert len(BLOCKS[0].strip().splitlines()) < 20
    assert any("kind: media" in b for b in BLOCKS) and any("kind: neutral" in b for b in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS)
def test_doc_examples_load(tmp_path, block):
    p = tmp_path / "s.yml"
    p.write_text(re.sub(r"(?m)^  (?=\S)", "  ", block), encoding="utf-8")
    s = load_story(p)
    assert s.sides and s.proposition.text


def test_every_key_is_documented():
    for key in ("name", "title", "fictional", "proposition.text", "proposition.topic_terms", "sides[].id",
                "sides[].label", "sides[].kind", "sides[].speakers", "speakers[].name", "speakers[].role",
                "speakers[].aliases", "mixed_speakers"):
        assert f"| `{key}` |" in DOC, key


ROWS = [r for r in re.findall(r"^\| `(\{name:.*?\})` \| (.*?) \|$", DOC, re.M)]


@pytest.mark.parametrize("spec,examples", ROWS)
def test_derivation_table(tmp_path, spec, examples):
    other = "{name: Aldric Vossberg, role: Premier of Valdoria}" if "Office of the Premier" in spec else "{name: Zed Zulu}"
    p = tmp_path / "s.yml"
    p.write_text(f"name: t\nproposition: {{text: x talk}}\nsides:\n  - id: a\n    speakers:\n      - {spec}\n"
                 f"      - {other}\n", encoding="utf-8")
    s = load_story(p)
    name = re.search(r"name: ([^,}]+)", spec).group(1).strip()
    for ex in re.sub(r"\(.*?\)", "", examples.split(" — ")[0]).split(","):
        ex = ex.strip().strip('"')
        if not ex:
            continue
        got = [m.name for m in s.find_speakers(f"Yesterday {ex} said so.")]
        assert got and got[-1] == name, (ex, got)
    assert not s.find_speakers("an apple pie, a cook, the department of health")
