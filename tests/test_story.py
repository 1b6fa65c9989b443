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
    (lambda t: t.replace("  - id: b\n    label: Side B\n    speakers:\n", "  - id: b\n    label: Side B\n    speakerz:\n"),
     "field sides.1.speakerz: unknown field"),
    (lambda t: t.replace("    label: Side B\n", "    label: Side B\n    kind: press\n"), "field sides.1.kind"),
    (lambda t: t.replace('"the A government"', '""'), "field sides.0.speakers.1.aliases: an alias is empty"),
    (lambda t: t.replace("title: Test", "title: Test\ncolour: red"), "field colour: unknown field"),
    (lambda t: t.replace("topic_terms: [talks]", "topic_terms: [' ']"), "field proposition.topic_terms"),
    (lambda t: t.replace("    label: Side A\n", "    label: Side A\n    label: Again\n"),
     "line 9: the key 'label' appears twice (first on line 8)"),
    (lambda t: t.replace("sides:\n", "proposition: {text: again}\nsides:\n"), "the key 'proposition' appears twice"),
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


# ------------------------------------------------------------------------------------------ names, not alias lists
NEW = textwrap.dedent("""\
    name: n
    proposition: {text: "Aland and Borea are holding talks.", topic_terms: [talks]}
    sides:
      - id: a
        speakers:
          - {name: Carlos Fernández de Cossío, role: Deputy Foreign Minister of Aland}
          - {name: Ursula van der Leyen, role: President of the Borean Commission}
          - {name: Donald Trump, role: President of the United States}
          - {name: State Department}
          - {name: Aland government, aliases: [Aland, Port Alar]}
      - id: b
        speakers:
          - {name: Tim Cook, role: Chief Executive of Apple}
          - {name: Apple}
          - {name: European Commission}
          - {name: Theresa May, role: Prime Minister of Borea}
          - {name: U.S. officials, aliases: [the White House]}
    """)


@pytest.fixture()
def new(tmp_path):
    return load_story(write(tmp_path, NEW))


def found(story, text):
    return [(m.text, m.name) for m in story.find_speakers(text)]


@pytest.mark.parametrize("text,expected", [
    ("Carlos Fernández de Cossío said", [("Carlos Fernández de Cossío", "Carlos Fernández de Cossío")]),
    ("Fernandez de Cossio said", [("Fernandez de Cossio", "Carlos Fernández de Cossío")]),
    ("Carlos Cossío and Cossio said", [("Carlos Cossío", "Carlos Fernández de Cossío"), ("Cossio", "Carlos Fernández de Cossío")]),
    ("Aland’s Deputy Foreign Minister Carlos Fernández de Cossío said",
     [("Aland’s Deputy Foreign Minister Carlos Fernández de Cossío", "Carlos Fernández de Cossío")]),
    ("The deputy foreign minister said", [("The deputy foreign minister", "Carlos Fernández de Cossío")]),
    ("Van der Leyen said", [("Van der Leyen", "Ursula van der Leyen")]),
    ("van der Leyen’s office", [("van der Leyen", "Ursula van der Leyen")]),
    ("President Trump and the U.S. president", [("President Trump", "Donald Trump"), ("the U.S. president", "Donald Trump")]),
    ("Trump's remarks", [("Trump", "Donald Trump")]),
    ("TRUMP SAYS", []),  # names in capitals only are datelines ("WASHINGTON -"), not mentions
    ("Trump Says Aland Is Talking", [("Trump", "Donald Trump"), ("Aland", "Aland government")]),
    ("Fernández De Cossío Denies Talks", [("Fernández De Cossío", "Carlos Fernández de Cossío")]),
    ("the State Department spokesperson said", [("the State Department spokesperson", "State Department")]),
    ("Apple's chief executive Tim Cook", [("Apple's chief executive Tim Cook", "Tim Cook")]),
    ("Apple's shares and Tim Cook", [("Apple", "Apple"), ("Tim Cook", "Tim Cook")]),
    ("Apple’s Chief Executive said", [("Apple’s Chief Executive", "Tim Cook")]),
    ("the Commission said", [("the Commission", "European Commission")]),
    ("officials in Port Alar and Aland officials said", [("officials in Port Alar", "Aland government"),
                                                          ("Aland officials", "Aland government")]),
    ("a senior US official and American officials", [("a senior US official", "U.S. officials"),
                                                      ("American officials", "U.S. officials")]),
    ("Prime Minister May said in May", [("Prime Minister May", "Theresa May")]),
])
def test_derived_forms(new, text, expected):
    assert found(new, text) == expected


@pytest.mark.parametrize("text", [
    "he played his trump card", "a cook and an apple pie", "they may agree", "the department of health said",
    "WASHINGTON (Reuters) - the talks", "the Department of Justice said", "in May the talks", "Mayhem",
    "an apple's chief executive said",
])
def test_common_words_are_not_names(new, text):
    assert all(m.name not in ("Donald Trump", "Tim Cook", "Apple", "Theresa May", "State Department")
               for m in new.find_speakers(text)), found(new, text)


def test_listed_multi_word_alias_never_cut_short(tmp_path):
    s = load_story(write(tmp_path, NEW.replace("aliases: [Aland, Port Alar]",
                                              "aliases: [Aland, Port Alar, Port Alar Harbour Board]")))
    assert found(s, "Port Alar Harbour Board said") == [("Port Alar Harbour Board", "Aland government")]
    assert found(s, "Port Alar said") == [("Port Alar", "Aland government")]
    assert found(s, "Port Alar harbour board said") == [("Port Alar", "Aland government")]


def test_ambiguity_rule(tmp_path):
    text = NEW.replace("{name: Tim Cook, role: Chief Executive of Apple}",
                       "{name: Ann Trump, role: Foreign Minister of Borea}")
    s = load_story(write(tmp_path, text))
    # two speakers named Trump: neither gets the surname; both presidents lose "the president"
    assert found(s, "Trump said") == []
    assert found(s, "Donald Trump and Ann Trump") == [("Donald Trump", "Donald Trump"), ("Ann Trump", "Ann Trump")]
    assert found(s, "the president said") == []
    assert s.index.dropped["trump"] == ["Ann Trump", "Donald Trump"]
    assert s.index.dropped["the president"] == ["Donald Trump", "Ursula van der Leyen"]
    # a listed alias beats a derived form: the listed owner keeps it
    s2 = load_story(write(tmp_path, text.replace("role: President of the United States}",
                                                 "role: President of the United States, aliases: [Trump]}"), "s2.yml"))
    assert found(s2, "Trump said") == [("Trump", "Donald Trump")]


def test_old_style_files_keep_loading_and_give_the_same_spans(real_story):
    from helpers.paths import PROJ_ROOT
    old = load_story(PROJ_ROOT / "tests/data/stories-v1/cuba-talks.yml")
    new_ = load_story(real_story)
    text = ("Cuba’s president Miguel Díaz-Canel rejected it; Cuban President Miguel Díaz-Canel, Fernandez de Cossio "
            "and Secretary of State Marco Rubio spoke. The State Department and Cuban and U.S. officials too.")
    assert [(m.start, m.end, m.name) for m in old.find_speakers(text)] == \
           [(m.start, m.end, m.name) for m in new_.find_speakers(text)]


def test_side_kinds_and_media_side(tmp_path):
    text = NEW + "  - {id: press, kind: media}\n  - id: pundits\n    kind: neutral\n    speakers: [{name: Ann Pundit}]\n"
    s = load_story(write(tmp_path, text))
    assert s.media_side == "press" and s.neutral_sides == {"pundits"}
    assert s.side_kind("a") == "party" and s.side_kind("press") == "media" and s.side_kind(None) is None
    assert s.title == "Aland and Borea are holding talks." and s.sides[2].label == "press"
    with pytest.raises(StoryError, match="side 'pundits' lists no speaker"):
        load_story(write(tmp_path, text.replace("    speakers: [{name: Ann Pundit}]\n", ""), "bad.yml"))


def test_topic_terms_optional(tmp_path):
    s = load_story(write(tmp_path, "name: x\nproposition: {text: The two ministers had dinner together in Paris.}\n"
                                   "sides: [{id: a, speakers: [{name: Ann Lee}]}]\n"))
    assert s.proposition.topic_terms == []  # the proposition model derives the predicate itself
    from helpers.proposition import parse
    assert parse(s.proposition.text).head == "dinner"


def test_size_limits(tmp_path):
    big = NEW + "# " + "x" * 300_000 + "\n"
    with pytest.raises(StoryError, match=r"bytes, a story file is at most"):
        load_story(write(tmp_path, big))
    many = NEW.replace("aliases: [Aland, Port Alar]", "aliases: [" + ", ".join(f"A{i}" for i in range(150)) + "]")
    with pytest.raises(StoryError, match=r"150 aliases: at most 100"):
        load_story(write(tmp_path, many, "many.yml"))


def test_bare_names_are_speakers(tmp_path):
    s = load_story(write(tmp_path, "name: x\nproposition: {text: A and B held talks.}\nsides:\n"
                                   "  - {id: a, speakers: [Ann Lee, {name: A government, aliases: Aland}]}\n"
                                   "mixed_speakers: [A and B officials]\n"))
    assert s.speaker_names == ["Ann Lee", "A government", "A and B officials"]
    assert [m.name for m in s.find_speakers("Lee met officials in Aland.")] == ["Ann Lee", "A government"]
