"""The report's front page opens with the answer: the first claim, the first denial of it by another side,
the latency between them with both evidence sentences, and the claim and denial counts, before the links.

:func:`answer` computes it from the pipeline tables, :func:`answer_html` renders it (every text from the
corpus escaped, no script, no external resource), :func:`with_answer` puts it into the report's
``index.html`` (called by :func:`helpers.reporting.build_report`).
"""
from __future__ import annotations

import html

import pandas as pd

__all__ = ["answer", "answer_html", "with_answer", "format_span"]


def _na(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def format_span(td) -> str:
    """A duration in words: "0 min", "13 h 30 min", "1 day 17 h", "10 days"; "unbounded" for null.

    Example:
        >>> format_span(pd.Timedelta(hours=37, minutes=40)), format_span(pd.Timedelta(0)), format_span(None)
        ('1 day 13 h', '0 min', 'unbounded')
    """
    if _na(td):
        return "unbounded"
    td = pd.Timedelta(td)
    mins = int(td.total_seconds() // 60)
    d, rest = divmod(mins, 1440)
    h, m = divmod(rest, 60)
    if d:
        return f"{d} day{'s' if d > 1 else ''}" + (f" {h} h" if h and d < 3 else "")
    if h:
        return f"{h} h" + (f" {m} min" if m else "")
    return f"{m} min"


def _when(row) -> str:
    lo, hi = row.get("said_from"), row.get("said_to")
    fmt = "%Y-%m-%d %H:%M UTC"
    if _na(lo) and _na(hi):
        pub = row.get("first_published_at")
        return "time unknown" + ("" if _na(pub) else f" (first published {pd.Timestamp(pub).strftime(fmt)})")
    if _na(lo):
        return f"no later than {pd.Timestamp(hi).strftime(fmt)}"
    if _na(hi):
        return f"no earlier than {pd.Timestamp(lo).strftime(fmt)}"
    if pd.Timestamp(lo) == pd.Timestamp(hi):
        return pd.Timestamp(lo).strftime(fmt)
    return f"between {pd.Timestamp(lo).strftime(fmt)} and {pd.Timestamp(hi).strftime(fmt)}"


def _order(ev: pd.DataFrame) -> pd.DataFrame:
    key = ev["said_from"].fillna(ev["said_to"]).fillna(ev["first_published_at"])
    return ev.assign(_k=key).sort_values(["_k", "event_id"], na_position="last", kind="stable").drop(columns="_k")


def answer(result, neutral_sides=()) -> dict:
    """The front page's answer from an analysis (an ``AnalysisResult`` or anything with ``events``,
    ``latency`` and ``mentions``): ``first_claim`` and ``first_denial`` (event rows as dicts or None),
    ``pair`` (the latency row or None), ``counts`` (claims, denials, reports, per side).

    Example:
        >>> from helpers import pipeline
        >>> from helpers.paths import DEMO_CORPUS
        >>> import tempfile, pathlib
        >>> r = pipeline.analyze(DEMO_CORPUS, out=pathlib.Path(tempfile.mkdtemp()) / "d", jobs=1, progress=False)
        >>> a = answer(r)
        >>> a["first_claim"]["speaker"], a["first_denial"]["speaker"], a["counts"]["claims"] > 0
        ('Aldric Vossberg', 'Ilsabet Moranth', True)
    """
    ev = result.events
    lat = result.latency
    ms = result.mentions
    out = {"first_claim": None, "first_denial": None, "pair": None, "first_claim_unpaired": None,
           "counts": {"claims": 0, "denials": 0, "claim_reports": 0, "denial_reports": 0, "articles": 0,
                      "by_side": []}}
    if ev is None or ev.empty:
        return out
    claims = _order(ev[(ev["stance"] == "claim") & ev["side"].notna() & ~ev["side"].isin(list(neutral_sides))])
    if claims.empty:
        claims = _order(ev[ev["stance"] == "claim"])
    by_id = ev.set_index("event_id", drop=False)
    paired = set(lat["claim_event_id"]) if lat is not None and not lat.empty else set()
    if not claims.empty:
        first = claims.iloc[0].to_dict()
        chosen = first
        if first["event_id"] not in paired:
            with_pair = claims[claims["event_id"].isin(paired)]
            if not with_pair.empty:
                out["first_claim_unpaired"] = first
                chosen = with_pair.iloc[0].to_dict()
        out["first_claim"] = chosen
        if chosen["event_id"] in paired:
            row = lat[lat["claim_event_id"] == chosen["event_id"]].iloc[0].to_dict()
            out["pair"] = row
            out["first_denial"] = by_id.loc[row["denial_event_id"]].to_dict()
    c = out["counts"]
    c["claims"] = int((ev["stance"] == "claim").sum())
    c["denials"] = int((ev["stance"] == "denial").sum())
    if ms is not None and not ms.empty:
        c["claim_reports"] = int((ms["stance"] == "claim").sum())
        c["denial_reports"] = int((ms["stance"] == "denial").sum())
        c["articles"] = int(ms.loc[ms["stance"] != "other", "doc_id"].nunique())
    side = ev["side"].astype(object).where(ev["side"].notna(), "(no side)")
    tab = (ev[ev["stance"] != "other"].assign(side=side).groupby(["side", "stance"]).size()
           .unstack(fill_value=0).reindex(columns=["claim", "denial"], fill_value=0))
    c["by_side"] = [(str(s), int(r["claim"]), int(r["denial"])) for s, r in tab.iterrows()]
    return out


def answer_html(result, story=None, corrected: int = 0) -> str:
    """The answer as an HTML section (escaped; no script).

    Example:
        >>> from types import SimpleNamespace as NS
        >>> from helpers import schemas
        >>> empty = NS(events=schemas.empty("events"), latency=schemas.empty("latency"), mentions=schemas.empty("mentions"))
        >>> "No claim" in answer_html(empty)
        True
    """
    e = lambda x: html.escape("" if _na(x) else str(x))  # noqa: E731
    a = answer(result, getattr(story, "neutral_sides", ()))
    parts = ['<section id="answer" class="claims-answer" style="border:2px solid #444;padding:.6em 1.2em;'
             'margin:1em 0;background:#f7f7f7">', "<h2>The answer</h2>"]
    fc, fd, pair = a["first_claim"], a["first_denial"], a["pair"]
    if fc is None:
        parts.append("<p>No claim of the proposition was found in this corpus"
                     " (and window). See the claim-frequency page for every statement found.</p>")
    else:
        side = f" ({e(fc['side'])})" if not _na(fc.get("side")) else ""
        parts.append(f'<p class="first-claim"><b>First claim</b>: <b>{e(fc["speaker"])}</b>{side}, said '
                     f'{e(_when(fc))}:<br><q>{e(fc["text"])}</q></p>')
        if a["first_claim_unpaired"] is not None:
            u = a["first_claim_unpaired"]
            parts.append(f'<p><small>An earlier claim ({e(u["speaker"])}, {e(_when(u))}) was never denied by '
                         "another side; the first claim that was is shown.</small></p>")
        if fd is None:
            parts.append('<p class="first-denial"><b>First denial by another side</b>: none found.</p>')
        else:
            side = f" ({e(fd['side'])})" if not _na(fd.get("side")) else ""
            parts.append(f'<p class="first-denial"><b>First denial by another side</b>: <b>{e(fd["speaker"])}</b>'
                         f'{side}, said {e(_when(fd))}:<br><q>{e(fd["text"])}</q></p>')
            lo, hi = pair.get("latency_min"), pair.get("latency_max")
            span = (f"between {format_span(lo)} and {format_span(hi)}" if not _na(hi)
                    else f"at least {format_span(lo)} (no upper bound in the texts)")
            parts.append(f'<p class="latency"><b>Denial latency</b>: {e(span)} <small>(basis: {e(pair["basis"])}; '
                         f'{e(pair["note"])})</small></p>')
    c = a["counts"]
    parts.append(f'<p class="counts"><b>Counts</b>: {c["claims"]} claim(s) and {c["denials"]} denial(s) '
                 f'(distinct statements), reported {c["claim_reports"]} and {c["denial_reports"]} time(s) in '
                 f'{c["articles"]} article(s).</p>')
    if c["by_side"]:
        rows = "".join(f"<tr><td>{e(s)}</td><td>{cl}</td><td>{dn}</td></tr>" for s, cl, dn in c["by_side"])
        parts.append('<table class="by-side"><tr><th>side</th><th>claims</th><th>denials</th></tr>'
                     f"{rows}</table>")
    if corrected:
        parts.append(f"<p><small>{corrected} statement row(s) were corrected by hand.</small></p>")
    parts.append("</section>")
    return "\n".join(parts)


def with_answer(index_html: str, tables, story=None, params: dict | None = None) -> str:
    """``index_html`` with the answer (from the Parquet tables in ``tables``, in the ``date_from`` /
    ``date_to`` window of ``params``) inserted before the first section heading.

    Example:
        >>> with_answer("<h1>T</h1><h2>Notebooks</h2>", "no/such/tables")
        '<h1>T</h1><h2>Notebooks</h2>'
    """
    from pathlib import Path

    from . import corrections, pipeline, reporting

    if not (Path(tables) / "run.json").is_file():
        return index_html
    res = pipeline.load_tables(tables)
    params = params or {}
    res = reporting.window(res, params.get("date_from"), params.get("date_to"))
    block = answer_html(res, story, corrected=corrections.count_corrected(res.mentions))
    at = index_html.find("<h2>")
    return index_html + block if at < 0 else index_html[:at] + block + "\n" + index_html[at:]
