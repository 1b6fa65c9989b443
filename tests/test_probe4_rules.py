"""Rules added after probe 4 (fictional sentences: an airline, a football club, a hospital)."""
from helpers.extraction import find_frames, extract_mentions
from helpers.judges import Context, get
from helpers.proposition import parse
from helpers.story import Story, derive_forms, looks_like_person

import pandas as pd

FUTURE = parse("Skyreach Airways will cut 1,500 jobs.")


def _j(text, prop=FUTURE, **kw):
    return get().judge(text, prop, Context(**kw))


def test_reported_future_would_is_the_claim_or_its_denial():
    assert _j("The union said on Monday that Skyreach Airways would cut 1,500 jobs.").label == "claim"
    assert _j("Marsh insisted the airline would not cut 1,500 jobs.").label == "denial"
    assert _j("Analysts said Skyreach Airways would cut 1,500 jobs if fuel prices rose.").label == "other"
    # a proposition that is itself a possibility keeps "would" a hedge
    may = parse("Skyreach Airways may cut 1,500 jobs.")
    assert _j("The union said Skyreach Airways would cut 1,500 jobs.", may).label == "other"


def test_denial_verb_in_a_time_clause_is_not_the_sentence_stance():
    assert _j("Skyreach to cut 1,500 jobs, weeks after denying plan", headline=True).label == "claim"
    assert _j("Skyreach Airways denied it would cut 1,500 jobs.").label == "denial"


def test_denial_object_stops_at_the_sentence_end():
    r = _j('dismissing reports of redundancies as "pure speculation". Skyreach Airways has no plans to cut 1,500 jobs',
           attributed=True)
    assert r.label == "denial"


def test_organisation_names_short_forms_and_not_persons():
    assert not looks_like_person("Skyreach Airways") and not looks_like_person("Eastmere Residents' Association")
    assert "Skyreach" in derive_forms("Skyreach Airways") and "Rovenna" in derive_forms("Rovenna FC")
    assert "General" not in derive_forms("General Motors") and "Mr Airways" not in derive_forms("Skyreach Airways")


_STORY = Story.model_validate({"name": "x", "proposition": {"text": "Skyreach Airways will cut 1,500 jobs."},
                               "sides": [{"id": "press", "kind": "media"},
                                         {"id": "sky", "speakers": ["Skyreach Airways"]},
                                         {"id": "union", "speakers": ["Aviation Workers Union"]}]})


def _rows(title, body):
    art = {"doc_id": "d", "title": title, "body": body, "published_at": pd.Timestamp("2026-03-02", tz="UTC"),
           "published_precision": "day", "published_tz": None}
    return [(r["field"], r["speaker"], r["stance"]) for r in extract_mentions(art, _STORY)]


def test_anonymous_sources_with_a_postmodifier_attribute_the_sentence():
    f = find_frames("Skyreach Airways will cut 1,500 jobs, people familiar with the matter said.", _STORY)
    assert [x.speaker_text for x in f] == ["people familiar with the matter"]
    # a one-word head keeps the words before it (the generic noun phrase), as before the rule
    f = find_frames("Skyreach Airways will cut 1,500 jobs, a senior union source said.", _STORY)
    assert [x.speaker_text for x in f] == ["a senior union source"]
    f = find_frames("Skyreach Airways will cut 1,500 jobs, the insider said.", _STORY)
    assert [x.speaker_text for x in f] == ["the insider"]


def test_the_airline_said_refers_to_the_organisation_named():
    rows = _rows("Airline denies job cuts",
                 "Skyreach Airways has no plans to cut 1,500 jobs, the airline said on Monday. "
                 "\"There is no truth to the story,\" the airline said in a statement.")
    assert ("body", "Skyreach Airways", "denial") in rows
    assert all(r[1] == "Skyreach Airways" for r in rows if r[0] == "body")
