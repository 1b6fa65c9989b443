"""story draft, story check and explain: on the real corpus (read from ../shared at run time) and the demo."""
from __future__ import annotations

import re

import pytest

from helpers import cli, storytools
from helpers.story import load_story

CLAIM = "The United States and Cuba are holding talks."


@pytest.fixture(scope="module")
def draft_text(real_corpus):
    return storytools.draft(real_corpus, CLAIM)


def test_draft_lists_speakers_most_frequent_first_and_loads(draft_text, tmp_path):
    assert f'text: "{CLAIM}"' in draft_text
    assert "Donald Trump" in draft_text and "Díaz-Canel" in draft_text
    counts = [int(a) + int(b) for a, b in re.findall(r"# (\d+) claim\(s\), (\d+) denial\(s\)", draft_text)]
    assert counts and all(n >= 1 for n in counts)
    p = tmp_path / "draft.yml"
    p.write_text(draft_text, encoding="utf-8")
    s = load_story(p)
    assert s.media_side == "press" and {sd.id for sd in s.sides} >= {"claimants", "press"}
    # a surname alone joins the full name: one Díaz-Canel line
    assert len(re.findall(r"name: \"[^\"]*Díaz-Canel\"", draft_text)) == 1


def test_draft_refuses_a_question(real_corpus):
    with pytest.raises(Exception, match="question"):
        storytools.draft(real_corpus, "Are the United States and Cuba holding talks?")


def test_check_finds_unknown_ambiguous_unseen_and_duplicates(real_corpus, tmp_path):
    p = tmp_path / "s.yml"
    p.write_text("""\
name: t
proposition: {text: "The United States and Cuba are holding talks.", topic_terms: [talk, talking, negotiation]}
sides:
  - id: us
    speakers:
      - {name: Donald Trump, role: President of the United States, aliases: [Trump's team, Trump’s team]}
      - {name: Nobody Atall}
  - id: cuba
    speakers:
      - {name: Miguel Díaz-Canel, role: President of Cuba, aliases: [Díaz-Canel]}
""", encoding="utf-8")
    t = storytools.check(real_corpus, p)
    by = {c: set(t.loc[t["check"] == c, "name"]) for c in set(t["check"])}
    assert by["form on two sides"] == {"Donald Trump, Miguel Díaz-Canel"}  # "the president"
    assert "Nobody Atall" in by["never seen"] and "Donald Trump" not in by["never seen"]
    assert by["alias listed twice"] == {"Donald Trump"}
    assert by["alias already derived"] == {"Miguel Díaz-Canel"}
    unknown = t[t["check"] == "unknown speaker"]
    assert len(unknown) >= 2 and (unknown["count"] >= 1).all() and unknown["example"].str.len().gt(10).all()
    assert list(unknown["count"]) == sorted(unknown["count"], reverse=True)
    text = storytools.format_check(t)
    assert "unknown speaker" in text and "e.g." in text


def test_check_of_the_bundled_story_is_clean_but_for_the_shared_role(real_corpus, real_story):
    t = storytools.check(real_corpus, real_story)
    assert set(t["check"]) <= {"form on two sides"}


def test_explain(real_story):
    t = storytools.explain("Cuba's deputy foreign minister denied any negotiations.", real_story)
    assert t[["speaker", "side", "stance"]].values.tolist() == [["Carlos Fernández de Cossío", "cuba", "denial"]]
    t = storytools.explain("Havana has a lot of old cars.", real_story)
    assert t.loc[0, "stance"] == "other" and "topic_terms" in t.loc[0, "why"]
    t = storytools.explain("“That is made up,” she said.", real_story, headline="Rubio claims talks with Cuba")
    assert "title" in set(t["field"])
    out = storytools.format_explain(storytools.explain("Ann Pundit said talks are underway.", real_story))
    assert "not in the story" in out and "claim" in out


def test_cli_story_and_explain(real_corpus, real_story, tmp_path, capsys):
    out = tmp_path / "d.yml"
    assert cli.main(["story", "draft", str(real_corpus), "--claim", CLAIM, "--out", str(out)]) == 0
    assert out.is_file() and "story check" in capsys.readouterr().out
    assert cli.main(["story", "draft", str(real_corpus), "--claim", CLAIM, "--out", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert cli.main(["story", "check", str(real_corpus), "--story", str(real_story)]) == 0
    assert "story check" in capsys.readouterr().out
    assert cli.main(["explain", "--story", str(real_story), "Rubio said talks are underway."]) == 0
    assert "Marco Rubio (side us) -> claim" in capsys.readouterr().out


def test_analyze_prints_the_check_as_warnings(demo_corpus, demo_story, tmp_path, capsys):
    assert cli.main(["analyze", str(demo_corpus), "--story", str(demo_story), "--out", str(tmp_path / "o"),
                     "--quiet", "--jobs", "1", "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "warning: story check: form on two sides: Renata Oskel, Teodor Halvik" in err


def test_draft_helpers():
    assert storytools.split_name_role("Dr Gwen Korovin") == ("Gwen Korovin", "Dr")
    assert storytools._OUTLET_PHRASE.match("a report by CNN").group(1) == "CNN"
    assert not storytools._is_named("Reports") and storytools._is_named("Gwen Korovin")


def test_draft_names_on_topic(draft_text):
    lines = draft_text.splitlines()
    line = lines[next(i for i, ln in enumerate(lines) if ln.startswith("# Also named")) + 1]
    assert "Donald Trump" not in line  # already listed as a speaker above
    assert re.search(r"\w+ \(\d+\)", line)
