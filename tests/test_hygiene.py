"""Text hygiene: HTML inside record fields, page labels that are not headlines, stamps glued to the first words."""
from __future__ import annotations

import csv
import io
import json

import pytest

from helpers import cleaning, corpus


def _load(tmp_path, name, data: str):
    p = tmp_path / name
    p.write_text(data)
    arts, probs = corpus.load_file(p, tmp_path)
    assert len(arts) == 1, probs
    return arts[0]


HTML_BODY = ("<div class=\"story\"><p>Foreign minister <a href=\"/people/ana-ruiz\"><b>Ana Ruiz</b></a> said on "
             "Monday that &ldquo;no talks&rdquo; were held.</p><script>var ad = '<p>Buy now</p>';</script>"
             "<!-- related --><p>Officials in Port&nbsp;Selm agreed &amp; said so.</p></div>")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json"])
def test_html_in_record_fields_is_text_before_anything_else(fmt, tmp_path):
    rec = {"id": "h1", "title": "<h1>Talks &amp; Denials</h1>", "text": HTML_BODY, "date": "2026-03-03"}
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rec))
        w.writeheader()
        w.writerow(rec)
        data = buf.getvalue()
    else:
        data = json.dumps(rec) + "\n"
    art = _load(tmp_path, f"r.{fmt}", data)
    assert art["title"] == "Talks & Denials"
    assert art["body"] == ("Foreign minister Ana Ruiz said on Monday that “no talks” were held.\n\n"
                           "Officials in Port Selm agreed & said so.")


def test_markup_free_text_is_left_alone():
    for text in ("Profits rose 5% as x < y and AT&T > rivals.", "A <- B", "Q&A: what we know"):
        assert cleaning.strip_markup(text) == text


def test_a_page_label_is_not_a_headline(tmp_path):
    art = _load(tmp_path, "p.txt", "KEY POINTS\nValley Talks Collapse After Dam Row\n\nMarch 3, 2026\n\n"
                                   "The minister said no talks exist.\n")
    assert art["title"] == "Valley Talks Collapse After Dam Row"
    assert "[label] KEY POINTS" in art["removed_lines"] and "KEY POINTS" not in art["body"]
    art = _load(tmp_path, "r.json", json.dumps({"title": "Advertisement", "text": "Valley Talks Collapse\n\n"
                                                "The minister said no talks exist.", "date": "2026-03-03"}))
    assert art["title"] == "Valley Talks Collapse"
    art = _load(tmp_path, "w.txt", "WORLD NEWS\nCUBA DENIES TALKS WITH THE US\n\nMarch 3, 2026\n\nThe minister said so.\n")
    assert art["title"] == "CUBA DENIES TALKS WITH THE US"


def test_stamps_and_labels_glued_to_the_first_words_are_furniture(tmp_path):
    art = _load(tmp_path, "g.jsonl", json.dumps({"title": "Valley Talks Collapse", "date": "2026-03-03",
                                                 "text": "5 min readKEY POINTS The minister said no talks exist."}))
    assert art["body"] == "The minister said no talks exist."
    assert art["removed_lines"].splitlines()[-2:] == ["[label] 5 min read", "[label] KEY POINTS"]


_FIRST = "The minister said on Monday that there were no talks with the valley council and that none were planned."


@pytest.mark.parametrize("stamp, sep", [("UPDATED 08:14 GMT", ""), ("Last updated 9.05am", " | "), ("Posted 14:32", " ")])
def test_a_time_stamp_glued_to_the_first_words_is_furniture(stamp, sep, tmp_path):
    art = _load(tmp_path, "t.jsonl", json.dumps({"title": "Valley Talks Collapse", "date": "2026-03-03",
                                                 "text": stamp + sep + _FIRST}))
    assert art["body"] == _FIRST
    assert art["removed_lines"].splitlines()[-1] == f"[label] {stamp}"


@pytest.mark.parametrize("first", ["Updated figures show a lead for the minister.", "Opinion polls show a lead for the minister.",
                                   "World Bank officials said so.",
                                   "Live music returned to the square.", "Share prices fell on Monday."])
def test_prose_that_starts_like_a_label_is_kept(first, tmp_path):
    art = _load(tmp_path, "k.json", json.dumps({"title": "A Headline", "text": first, "date": "2026-03-03"}))
    assert art["body"] == first


def test_a_dateline_in_capitals_is_still_a_dateline(tmp_path):
    art = _load(tmp_path, "d.json", json.dumps({"title": "A Headline", "date": "2026-03-03",
                                                "text": "LONDON — The minister said no talks exist."}))
    assert art["dateline"] == "LONDON" and art["body"] == "The minister said no talks exist."


@pytest.mark.parametrize("name", ["page_labels", "stamps"])
def test_word_lists_are_data_without_duplicates(name):
    words = [w.casefold() for w in cleaning.word_list(name)]
    assert len(words) > 10 and len(words) == len(set(words))
