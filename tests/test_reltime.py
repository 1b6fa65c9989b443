"""Relative and explicit times of statements, anchored on the article's own date with a past bias."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from helpers.reltime import resolve, tz_offset

T = lambda s: pd.Timestamp(s, tz="UTC")  # noqa: E731
MON_EVENING = T("2026-01-12 18:18")  # Monday 12 Jan 2026, 23:48 in India (IST)
DAY_PUB = T("2026-02-10")            # Tuesday 10 Feb 2026, day precision


@pytest.mark.parametrize("text,day", [
    ("He told reporters on Feb. 1 that ...", "2026-02-01"),
    ("She said on January 3 that ...", "2026-01-03"),
    ("January 3", "2026-01-03"),
    ("on Jan 12, 2026 he said", "2026-01-12"),
    ("on 3 February 2026", "2026-02-03"),
    ("on 2026-02-09", "2026-02-09"),
    ("on December 30", "2025-12-30"),   # after publication in this year -> last year
    ("on Feb. 10", "2026-02-10"),
])
def test_explicit_dates(text, day):
    r = resolve(text, DAY_PUB, "day")
    assert r.basis == "explicit" and r.said_from == T(day)
    assert r.said_to == min(T(day) + pd.Timedelta(days=1), DAY_PUB + pd.Timedelta(days=1))


def test_a_date_after_publication_is_not_a_time_of_saying():
    r = resolve("talks to open on March 23, 2026", DAY_PUB, "day")
    assert r.basis == "published"


@pytest.mark.parametrize("text,day", [
    ("Cuba on Monday dismissed it", "2026-01-12"),    # the publication day itself, capped at publication
    ("Trump had on Sunday warned Cuba", "2026-01-11"),
    ("on Tuesday", "2026-01-06"),                     # the most recent Tuesday before
    ("last Monday", "2026-01-05"),
    ("yesterday", "2026-01-11"),
    ("earlier today", "2026-01-12"),
])
def test_weekdays_and_days_in_the_article_time_zone(text, day):
    r = resolve(text, MON_EVENING, "minute", "IST")
    ist = pd.Timedelta(hours=5, minutes=30)  # the day is India's calendar day, given in UTC
    assert r.basis == "relative" and r.said_from == T(day) - ist
    assert r.said_to == min(T(day) + pd.Timedelta(days=1) - ist, MON_EVENING)
    r = resolve(text, MON_EVENING, "minute")  # no zone: UTC days
    assert r.said_from == T(day)


def test_time_zone_moves_the_publication_day():
    late = T("2026-01-12 20:00")  # Tuesday 13 Jan 01:30 in India, still Monday in UTC
    ist = pd.Timedelta(hours=5, minutes=30)
    assert resolve("on Monday", late, "minute", "IST").said_from == T("2026-01-12") - ist
    r = resolve("on Tuesday", late, "minute", "IST")
    assert (r.said_from, r.said_to) == (T("2026-01-13") - ist, late)
    assert resolve("on Tuesday", late, "minute", None).said_from == T("2026-01-06")


def test_week_and_month_phrases():
    r = resolve("earlier this week", DAY_PUB, "day")
    assert (r.said_from, r.said_to) == (T("2026-02-09"), T("2026-02-11"))
    r = resolve("last week", DAY_PUB, "day")
    assert (r.said_from, r.said_to) == (T("2026-02-02"), T("2026-02-09"))
    r = resolve("last month", DAY_PUB, "day")
    assert (r.said_from, r.said_to) == (T("2026-01-01"), T("2026-02-01"))


@pytest.mark.parametrize("text,relation,lag", [
    ("Hours later, Cuba rejected it", "after", "1 day"),
    ("hours after Trump claimed", "after", "1 day"),
    ("a few hours later", "after", "1 day"),
    ("minutes after the speech", "after", "1 hour"),
    ("two hours later", "after", "3 hours"),
    ("three days later", "after", "3 days"),
    ("a day later", "after", "2 days"),
    ("the next day", "after", "2 days"),
    ("shortly after", "after", "1 day"),
    ("within hours", "after", "1 day"),
    ("a week later", "after", "7 days"),
    ("two days earlier", "before", "2 days"),
])
def test_relative_lags(text, relation, lag):
    r = resolve(text, MON_EVENING, "minute")
    assert (r.relation, r.lag_max) == (relation, pd.Timedelta(lag))
    assert r.basis == "published" and pd.isna(r.said_from) and r.said_to == MON_EVENING


def test_weeks_later_has_no_bound_and_soon_is_no_relation():
    assert resolve("weeks later", MON_EVENING, "minute").lag_max is None
    assert resolve("you will find out soon", MON_EVENING, "minute").relation is None


def test_fallbacks():
    r = resolve("He said so.", MON_EVENING, "minute")
    assert (r.basis, r.said_to, r.cue) == ("published", MON_EVENING, None) and pd.isna(r.said_from)
    r = resolve("He said so.", DAY_PUB, "day")
    assert r.said_to == T("2026-02-11")
    r = resolve("He said so on Monday.", None, "unknown")
    assert r.basis == "unknown" and pd.isna(r.said_from) and pd.isna(r.said_to) and r.cue == "on Monday"
    r = resolve("on Jan 12, 2026", pd.NaT, "unknown")  # a full date needs no publication
    assert r.basis == "explicit" and r.said_from == T("2026-01-12")


def test_tz_offsets():
    assert tz_offset("IST") == pd.Timedelta(hours=5, minutes=30)
    assert tz_offset("UTC-05:00") == -pd.Timedelta(hours=5)
    assert tz_offset(None) is None and tz_offset("XYZ") is None


@given(st.datetimes(min_value=pd.Timestamp("2000-01-01").to_pydatetime(),
                    max_value=pd.Timestamp("2040-01-01").to_pydatetime()),
       st.sampled_from(["on Monday", "on Sunday", "yesterday", "Feb. 29", "December 31", "earlier this week",
                        "last week", "Hours later", "today", "on March 1, 2026"]),
       st.sampled_from(["minute", "day"]))
def test_never_after_publication(when, phrase, precision):
    pub = pd.Timestamp(when, tz="UTC")
    r = resolve(phrase, pub, precision, "IST")
    upper = pub + pd.Timedelta(days=1) if precision == "day" else pub
    assert r.said_to <= upper
    if not pd.isna(r.said_from):
        assert r.said_from <= r.said_to
