"""Dates: the regex finder, the time-zone table, and the publication-date scoring rule (invented pages)."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from helpers import dates
from helpers.cleaning import parse_page


def one(text: str) -> dates.DateMatch:
    found = dates.find_dates(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, ymd", [
    ("March 3, 2025", (2025, 3, 3)),
    ("Mar. 3, 2025", (2025, 3, 3)),
    ("Sept. 30 2024", (2024, 9, 30)),
    ("3 March 2025", (2025, 3, 3)),
    ("3rd of March, 2025", (2025, 3, 3)),
    ("Tuesday, March 4, 2025", (2025, 3, 4)),
    ("DECEMBER 24, 2023", (2023, 12, 24)),
    ("2024-07-09", (2024, 7, 9)),
    ("filed 2024-07-09T10:11:12Z", (2024, 7, 9)),
])
def test_date_shapes(text, ymd):
    m = one(text)
    assert (m.year, m.month, m.day) == ymd


@pytest.mark.parametrize("text", ["may 5, 2025", "Feb 30, 2025", "5 min read", "12/01/2025", "in 2025 alone",
                                  "March 2025", "room 2025-99"])
def test_not_dates(text):
    assert [m for m in dates.find_dates(text) if m.year] == []


def test_yearless_dates_are_found_but_carry_no_year():
    m = one("The vote was held on Nov. 8 after a delay.")
    assert (m.year, m.month, m.day, m.date) == (None, 11, 8, None)
    assert m.to_utc() is None


def test_date_glued_to_a_following_name():
    m = one("August 14, 2025Harbor Gazette")
    assert m.text == "August 14, 2025"
    assert dates.date_line_rest("August 14, 2025Harbor Gazette", m) == "Harbor Gazette"


@pytest.mark.parametrize("text, hm, tz", [
    ("June 2, 2025 07:15 am (IST)", (7, 15), "IST"),
    ("June 2, 2025, at 9:05 pm", (21, 5), None),
    ("June 2, 2025 - 14:30 GMT", (14, 30), "GMT"),
    ("June 2, 2025 at 9 p.m. EDT", (21, 0), "EDT"),
    ("12:10 PM IST, June 2 2025", (12, 10), "IST"),
    ("June 2, 2025 12:00 am", (0, 0), None),
    ("2025-06-02T07:15:00+05:30", (7, 15), "+05:30"),
])
def test_times_and_zones(text, hm, tz):
    m = one(text)
    assert ((m.hour, m.minute), m.tz, m.precision) == (hm, tz, "minute")


def test_number_after_date_is_not_a_time():
    m = one("On June 2, 2025 300 people marched.")
    assert m.precision == "day" and m.text == "June 2, 2025"


def test_tz_table_reads_ist_as_india_not_israel():
    assert dates.TZ_TABLE["IST"] == timedelta(hours=5, minutes=30)
    assert one("June 2, 2025 10:00 IST").to_utc() == pd.Timestamp("2025-06-02 04:30", tz="UTC")


def test_every_ambiguous_zone_is_documented_and_in_the_table():
    for abbr in ("IST", "CST", "BST"):
        assert abbr in dates.TZ_AMBIGUOUS and abbr in dates.TZ_TABLE
    assert "+05:30" in dates.TZ_AMBIGUOUS["IST"] and "Israel" in dates.TZ_AMBIGUOUS["IST"]


def test_offsets_and_regions():
    assert dates.tz_offset("UTC+3") == timedelta(hours=3)
    assert dates.tz_offset("-04:30") == -timedelta(hours=4, minutes=30)
    assert dates.tz_offset("XYZ") is None
    winter, summer = pd.Timestamp("2025-01-15").date(), pd.Timestamp("2025-07-15").date()
    assert dates.tz_offset("ET", winter) == timedelta(hours=-5)
    assert dates.tz_offset("ET", summer) == timedelta(hours=-4)


def test_unlisted_abbreviation_is_not_read_as_a_zone():
    m = one("June 2, 2025 10:00 ABC")
    assert m.tz is None


def test_to_utc_with_assumed_zone_and_day_precision():
    m = one("June 2, 2025, at 1:30 am")
    assert m.to_utc("IST") == pd.Timestamp("2025-06-01 20:00", tz="UTC")
    assert one("June 2, 2025").to_utc("IST") == pd.Timestamp("2025-06-02", tz="UTC")


def test_parse_datetime_structured_fields():
    assert dates.parse_datetime("2025-06-02 00:00:00").precision == "day"
    m = dates.parse_datetime("2025-06-02 10:20:00")
    assert (m.precision, m.tz) == ("minute", None)
    assert dates.parse_datetime("2025-06-02T10:20:00Z").to_utc() == pd.Timestamp("2025-06-02 10:20", tz="UTC")
    assert dates.parse_datetime(1748859600).year == 2025
    assert dates.parse_datetime("yesterday") is None
    assert dates.parse_datetime({"x": 1}) is None
    # digits in a string (every CSV cell is one): epoch seconds or ms, GDELT's YYYYMMDD[hhmmss]
    utc = pd.Timestamp("2025-06-02 10:20", tz="UTC")
    assert dates.parse_datetime("1748859600").to_utc() == utc == dates.parse_datetime("1748859600000").to_utc()
    assert dates.parse_datetime("20250602102000").to_utc() == utc
    assert dates.parse_datetime("20250602").precision == "day"
    assert [dates.parse_datetime(v) for v in ("12345", "20251302", "2025060")] == [None, None, None]


# --- the publication-date rule on invented pages -----------------------------------------------------

def test_banner_date_loses_to_byline_date():
    page = parse_page(
        "Saturday, August 30, 2025 10:02 am (IST)\n"
        "Follow us:\n"
        "telegram-black sharing button\n"
        "Harbor Strike Ends After Nine Days\n"
        "| @harborwire | Aug 21, 2025, at 7:40 pm\n"
        "Dock workers in the port city voted to return to work on Thursday night.\n")
    assert page.published_at == pd.Timestamp("2025-08-21 14:10", tz="UTC")  # 19:40 IST
    assert (page.published_precision, page.published_tz, page.outlet) == ("minute", "IST", "harborwire")
    assert "Aug 21, 2025" in page.date_evidence
    assert not page.problems


def test_banner_only_date_is_not_used():
    page = parse_page(
        "September 1, 2025\nShare this article\nRiver Levels Keep Rising\n"
        "Officials in the valley told residents to prepare sandbags as more rain arrived.\n")
    assert page.published_at is None and page.published_precision == "unknown"
    assert "banner" in page.problems[0][1]


def test_date_line_right_under_headline_wins_over_later_dates():
    page = parse_page(
        "Council Approves New Budget\n\n4 March 2024\n\n"
        "The council approved the budget on 1 March 2024 after a long debate about the costs.\n\n"
        "Published 9 March 2024\n")
    assert page.published_at == pd.Timestamp("2024-03-04", tz="UTC")


def test_published_label_beats_updated_label():
    page = parse_page(
        "Council Approves New Budget\nUpdated: May 9, 2024 08:00 GMT\nPublished: May 8, 2024 17:00 GMT\n"
        "The council approved the budget after a long debate about the costs of the plan.\n")
    assert page.published_at == pd.Timestamp("2024-05-08 17:00", tz="UTC")
    assert page.published_tz == "GMT"


def test_glued_outlet_is_read_from_the_date_line():
    page = parse_page(
        "Ferry Service Resumes\n\nA short standfirst about the ferry line and the people who rely on it daily.\n\n"
        "July 7, 2025Coastline Herald\n\nThe ferry ran again on Monday.\n")
    assert page.outlet == "Coastline Herald"
    assert page.published_at == pd.Timestamp("2025-07-07", tz="UTC") and page.published_precision == "day"
    assert "Coastline Herald" not in page.body


def test_no_date_gives_nat_and_a_warning_never_a_guess():
    page = parse_page("Ferry Service Resumes\n\nThe ferry ran again on Monday, two weeks after the storm of "
                      "June 3, 2025 closed the harbour.\n")
    assert page.published_at is None and page.published_precision == "unknown"
    assert page.problems == [("warning", "no publication date found on the page; published_at left empty (never guessed)")]


def test_time_without_zone_on_a_page_without_zone_is_assumed_utc_with_warning():
    page = parse_page("Ferry Service Resumes\nBy Ana Ruiz | June 9, 2025 6:45 pm\n\nThe ferry ran again on Monday.\n")
    assert page.published_at == pd.Timestamp("2025-06-09 18:45", tz="UTC")
    assert page.published_tz == "UTC (assumed)"
    assert page.problems and "no time zone" in page.problems[0][1]
    assert any(r.startswith("[byline]") for r in page.removed)


def test_candidate_scores_explain_themselves():
    lines = ["Oct 2, 2025 11:00 am (PKT)", "Follow us on X", "A Headline About Rain", "Oct 1, 2025", "Body text."]
    cands = dates.candidates(lines, title_no=2, furniture={1})
    assert [c.line_no for c in cands] == [0, 3]
    assert "site banner above navigation" in cands[0].reasons
    assert "next to the headline" in cands[1].reasons
    assert dates.pick_published(cands).line_no == 3
