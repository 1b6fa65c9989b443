"""Story files: validation with clear errors, alias matching rules, sides."""
from __future__ import annotations

import textwrap

import pytest

from helpers.errors import StoryError
from helpers.story import load_story, looks_like_person

GOOD = textwrap.dedent("""\
    name: t
    title: Test
    proposition:
      text: "A and B are holding talks."
      topic_terms: [talks]
    sides:
      - id: a
        label: Side A
        speakers:
          - {name: Ann Lee, role: Minister of A, aliases: ["Ann Lee", "Lee", "the minister", "A's minister"]}
          - {name: A government, aliases: ["A", "the A government"]}
      - id: b
        label: Side B
        speakers:
          - {name: José Núñez-Pérez, aliases: ["José Núñez-Pérez", "Núñez-Pérez"]}
    mixed_speakers:
      - {name: A and B officials, aliases: ["A and B officials"]}
    """)


def write(tmp_path, text, name="s.yml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_project_story_files_load(real_story, demo_story):
    for path in (real_story, demo_story):
        s = load_story(path)
        assert s.proposition.text and s.proposition.topic_terms and s.sides


def test_load_and_lookups(tmp_path):
    p = write(tmp_path, GOOD)
    before = p.read_bytes()
    s = load_story(p)
    assert p.read_bytes() == before  # never modified
    assert (s.name, s.sides[0].speakers[0].role) == ("t", "Minister of A")
    assert s.side_of("Ann Lee") == "a" and s.side_of("A and B officials") is None and s.side_of("X") is None
    assert s.knows("A and B officials") and not s.knows("Nobody")
    assert s.is_person("Ann Lee") and not s.is_person("A government") and not s.is_person("A and B officials")


@pytest.mark.parametrize("change,needle", [
    (lambda t: t.replace("proposition:\n  text: \"A and B are holding talks.\"\n  topic_terms: [talks]\n", ""),
     "field proposition: missing"),
    (lambda t: t.replace("id: b", "id: a"), "duplicate side id 'a'"),
    (lambda t: t.replace('["José Núñez-Pérez", "Núñez-Pérez"]', '["José Núñez-Pérez", "Lee"]'),
     "alias 'Lee' is used by both 'Ann Lee' and 'José Núñez-Pérez'"),
    (lambda t: t.replace('aliases: ["A and B officials"]', "aliases: []"),
     "field mixed_speakers.0.aliases: must list at least one alias"),
    (lambda t: t.replace('"the A government"', '""'), "field sides.0.speakers.1.aliases: an alias is empty"),
    (lambda t: t.replace("title: Test", "title: Test\ncolour: red"), "field colour: unknown field"),
    (lambda t: t.replace("topic_terms: [talks]", "topic_terms: [' ']"), "field proposition.topic_terms"),
    (lambda t: t.replace("    label: Side A\n", ""), "field sides.0.label: missing"),
])
def test_bad_story_files_name_the_field(tmp_path, change, needle):
    bad = change(GOOD)
    assert bad != GOOD
    p = write(tmp_path, bad)
    with pytest.raises(StoryError) as e:
        load_story(p)
    msg = str(e.value)
    assert needle in msg and str(p) in msg and "\n" not in msg


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(StoryError, match="story file not found"):
        load_story(tmp_path / "none.yml")
    with pytest.raises(StoryError, match=r"not valid YAML \(line \d+\)"):
        load_story(write(tmp_path, "name: [unclosed\n"))
    with pytest.raises(StoryError, match="expected a mapping"):
        load_story(write(tmp_path, "- just\n- a list\n"))


def test_longest_alias_wins_and_whole_words_only(tmp_path):
    s = load_story(write(tmp_path, GOOD))
    found = [(m.text, m.name) for m in s.find_speakers("A's minister met Ann Lee; Leeds and AB are not names.")]
    assert found == [("A's minister", "Ann Lee"), ("Ann Lee", "Ann Lee")]


def test_case_rule(tmp_path):
    s = load_story(write(tmp_path, GOOD))
    # lower-case alias also matches sentence-initial capital; capitalised aliases are case-sensitive
    assert [m.name for m in s.find_speakers("The minister spoke.")] == ["Ann Lee"]
    assert s.find_speakers("ann lee and lee spoke") == []


def test_typography_is_forgiven(tmp_path):
    s = load_story(write(tmp_path, GOOD))
    for text in ("A’s minister said", "Jose Nunez Perez said", "José  Núñez-Pérez said", "Nunez-Perez said"):
        assert s.find_speakers(text), text


def test_topic_regex(real_story):
    s = load_story(real_story)
    assert s.topic_regex.search("no formal Negotiations") and not s.topic_regex.search("not negotiable")


def test_looks_like_person():
    assert looks_like_person("Carlos Fernández de Cossío")
    assert not looks_like_person("Cuban officials") and not looks_like_person("Reuters")
