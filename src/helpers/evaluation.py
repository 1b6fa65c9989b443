"""How good are the tables? Compare them with the hand-made gold annotations in ``data/gold/``.

Three gold files per corpus (formats in ``data/gold/*.yml``): ``<corpus>-articles.yml`` (title,
outlet, dateline, publication date and precision, fragments the body must keep or drop),
``<corpus>-statements.yml`` (every claim and denial statement) and ``<corpus>-latency.yml`` (each
claim with the first denial by the other side and the bound the texts support).

Matching rules for statements: an extracted claim/denial mention matches a gold statement when it
is in the same article and field, has the same stance, and its sentence contains the gold ``where``
fragment (case-insensitive; curly quotes and spacing normalised). Each gold statement takes at most
one mention (the one with the right speaker when there is a choice); further mentions of the same
statement count as false positives. Gold statements marked ``optional`` count neither way.
Precision = matched mentions / extracted mentions (those matching only optional statements are left
out); recall = matched gold / non-optional gold. Among matches: speaker and side accuracy, and date
accuracy: ``date: D`` -> the mention's interval overlaps day D (widened by ``TZ_SLACK`` for time zones)
and has an end; ``on_or_before: D`` -> the mention has an end, no later than the end of D + ``TZ_SLACK``;
``time_unknown`` -> both ends are missing.

Run ``python -m helpers evaluate`` to print the figures for the demo and the real corpus.

Example:
    >>> import pandas as pd
    >>> gold = {"statements": [{"doc_id": "a", "field": "body", "where": "denied any talks",
    ...          "speaker": "Bob", "side": "b", "stance": "denial", "time_unknown": True}]}
    >>> ms = pd.DataFrame({"mention_id": ["a:body:0"], "doc_id": ["a"], "field": ["body"], "stance": ["denial"],
    ...     "text": ["Bob denied any talks."], "speaker": ["Bob"], "side": ["b"],
    ...     "said_from": pd.to_datetime([None], utc=True), "said_to": pd.to_datetime([None], utc=True)})
    >>> r = evaluate_statements(ms, gold)
    >>> r["precision"], r["recall"], r["date_accuracy"]
    (1.0, 1.0, 1.0)
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from .errors import UserError
from .text import is_na
from .paths import DEMO_CORPUS, DEMO_STORY, GOLD_DIR, REAL_CORPUS, REAL_STORY

#: Time-zone slack when comparing a mention's time with a gold calendar day (UTC-12 .. UTC+14).
TZ_SLACK = pd.Timedelta(hours=14)
#: The corpora ``python -m helpers evaluate`` knows: name -> (corpus folder, story file).
CORPORA = {"demo": (DEMO_CORPUS, DEMO_STORY), "cuba-talks": (REAL_CORPUS, REAL_STORY)}
ARTICLE_FIELDS = ("title", "outlet", "dateline", "published_at", "published_precision", "body_keeps",
                  "body_drops")
_STATEMENT_KEYS = ("doc_id", "field", "where", "stance")


def _norm(text) -> str:
    """Text as gold checks compare it: case, spacing, quote and dash styles ignored (``corpus._DUP_MAP``)."""
    from .corpus import _DUP_MAP, _DUP_RE

    if _missing(text):
        return ""
    return " ".join(_DUP_RE.sub(lambda m: _DUP_MAP[m.group()], str(text)).casefold().split())


_missing = is_na  # the package's one missing-value test (helpers.text)


# --------------------------------------------------------------------------------------------- gold

def load_gold(corpus_name: str, gold_dir: str | Path | None = None) -> dict:
    """Read the gold files of one corpus: ``{"corpus", "articles", "statements", "latency"}``.

    A part whose file is absent is ``None``. Raises ``UserError`` when no gold file exists or a file
    is malformed (the message names the file and the entry).

    Example:
        >>> gold = load_gold("cuba-talks")
        >>> sorted(gold)
        ['articles', 'corpus', 'latency', 'statements']
        >>> all(s["stance"] in ("claim", "denial") for s in gold["statements"])
        True
    """
    root = Path(gold_dir) if gold_dir is not None else GOLD_DIR
    gold: dict = {"corpus": corpus_name, "articles": None, "statements": None, "latency": None}
    for part, key in (("articles", "articles"), ("statements", "statements"), ("latency", "pairs")):
        path = root / f"{corpus_name}-{part}.yml"
        if not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise UserError(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise UserError(f"{path}: expected a list under '{key}'")
        for n, item in enumerate(items):
            if not isinstance(item, dict) or "doc_id" not in item and part != "latency":
                raise UserError(f"{path}: entry {n} must be a mapping with a doc_id")
            need = {"statements": _STATEMENT_KEYS, "articles": ("doc_id",),
                    "latency": ("claim_speaker", "claim_where")}[part]
            lacking = [k for k in need if k not in item]
            if lacking:
                raise UserError(f"{path}: entry {n} lacks {', '.join(lacking)}")
            if part == "statements" and item["stance"] not in ("claim", "denial"):
                raise UserError(f"{path}: entry {n}: stance must be claim or denial, not {item['stance']!r}")
        gold[part] = items
    if all(gold[p] is None for p in ("articles", "statements", "latency")):
        raise UserError(f"no gold annotation for corpus {corpus_name!r} in {root}")
    return gold


def _scalar_or_none(v):
    try:
        return None if pd.isna(v) else v
    except (TypeError, ValueError):  # a list or array (body_keeps): keep it
        return v


def _part(gold, part: str) -> list[dict]:
    """One part of the gold as a list of dicts; accepts ``load_gold``'s dict, the list, or a DataFrame."""
    items = gold.get(part) if isinstance(gold, dict) else gold
    if items is None:
        return []
    if isinstance(items, pd.DataFrame):
        return [{k: _scalar_or_none(v) for k, v in r.items()} for r in items.to_dict("records")]
    return list(items)


# --------------------------------------------------------------------------------------------- articles

def _utc(value) -> pd.Timestamp:
    t = pd.Timestamp(value if isinstance(value, pd.Timestamp) else str(value))
    return t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")


def _published_ok(expected, got, got_precision) -> bool:
    if _missing(expected):
        return _missing(got)
    if _missing(got):
        return False
    got = _utc(got)
    text = str(expected)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # a calendar day
        day = pd.Timestamp(text, tz="UTC")
        if got_precision == "day":
            return got.normalize() == day
        return day - TZ_SLACK <= got < day + pd.Timedelta(days=1) + TZ_SLACK
    return abs(got - _utc(text)) < pd.Timedelta(minutes=1)


def article_checks(articles: pd.DataFrame, gold) -> pd.DataFrame:
    """Every single check of ``evaluate_articles``: one row per (article, field[, fragment]).

    Columns: ``doc_id, field, expected, got, ok``.

    Example:
        >>> import pandas as pd
        >>> arts = pd.DataFrame({"doc_id": ["a"], "title": ["Talks on"], "body": ["Ann spoke. Share this"]})
        >>> gold = {"articles": [{"doc_id": "a", "title": "Talks on", "body_drops": ["Share this"]}]}
        >>> article_checks(arts, gold)[["field", "ok"]].values.tolist()
        [['title', True], ['body_drops', False]]
    """
    by_doc = {} if articles is None or articles.empty else articles.set_index("doc_id").to_dict("index")
    rows = []
    for g in _part(gold, "articles"):
        art = by_doc.get(g["doc_id"])
        for field in ARTICLE_FIELDS:
            if field not in g:
                continue
            exp = g[field]
            if field in ("body_keeps", "body_drops"):
                body = _norm(art.get("body")) if art else ""
                for frag in ([] if exp is None else list(exp)):
                    inside = _norm(frag) in body
                    ok = art is not None and (inside if field == "body_keeps" else not inside)
                    rows.append(dict(doc_id=g["doc_id"], field=field, expected=str(frag),
                                     got="(missing article)" if art is None else ("in body" if inside else "not in body"),
                                     ok=ok))
                continue
            got = art.get(field) if art else None
            if art is None:
                ok = False
            elif field == "published_at":
                ok = _published_ok(exp, got, art.get("published_precision"))
            elif field == "published_precision":
                ok = str(got) == str(exp)
            else:
                ok = _norm(got) == _norm(exp)
            rows.append(dict(doc_id=g["doc_id"], field=field, expected="" if _missing(exp) else str(exp),
                             got="(missing article)" if art is None else ("" if _missing(got) else str(got)),
                             ok=bool(ok)))
    cols = ["doc_id", "field", "expected", "got", "ok"]
    return pd.DataFrame(rows, columns=cols).astype({"doc_id": "str", "field": "str", "expected": "str",
                                                    "got": "str", "ok": "bool"})


def evaluate_articles(articles: pd.DataFrame, gold) -> pd.DataFrame:
    """Per-field accuracy of the loaded articles against the gold: ``field, n, correct, accuracy``.

    ``gold`` is what ``load_gold`` returns (or its ``articles`` list). Titles, outlets and datelines
    compare case-insensitively with spacing and curly quotes normalised; a gold calendar day matches a
    day-precision date on that UTC day, or a minute-precision time within that day +- ``TZ_SLACK``;
    a gold time with offset must match to the minute; gold null means "nothing must be found".
    ``body_keeps``/``body_drops`` count one check per fragment. Use ``article_checks`` for details.

    Example:
        >>> import pandas as pd
        >>> arts = pd.DataFrame({"doc_id": ["a"], "title": ["Talks on"], "outlet": [None],
        ...     "published_at": pd.to_datetime(["2026-01-12"], utc=True), "published_precision": ["day"]})
        >>> gold = {"articles": [{"doc_id": "a", "title": "Talks On", "outlet": "Daily",
        ...          "published_at": "2026-01-12", "published_precision": "day"}]}
        >>> evaluate_articles(arts, gold)[["field", "accuracy"]].values.tolist()
        [['title', 1.0], ['outlet', 0.0], ['published_at', 1.0], ['published_precision', 1.0]]
    """
    checks = article_checks(articles, gold)
    rows = []
    for field in ARTICLE_FIELDS:
        c = checks[checks["field"] == field]
        if len(c):
            rows.append(dict(field=field, n=len(c), correct=int(c["ok"].sum()), accuracy=float(c["ok"].mean())))
    return pd.DataFrame(rows, columns=["field", "n", "correct", "accuracy"])


# --------------------------------------------------------------------------------------------- statements

def _date_ok(g: dict, said_from, said_to) -> bool | None:
    start = None if _missing(said_from) else pd.Timestamp(said_from)
    end = None if _missing(said_to) else pd.Timestamp(said_to)
    if g.get("time_unknown"):
        return start is None and end is None
    if g.get("date") is not None:
        day = pd.Timestamp(str(g["date"]), tz="UTC")
        lo, hi = day - TZ_SLACK, day + pd.Timedelta(days=1) + TZ_SLACK
        return end is not None and end > lo and (start is None or start < hi)
    if g.get("on_or_before") is not None:
        day = pd.Timestamp(str(g["on_or_before"]), tz="UTC")
        return end is not None and end <= day + pd.Timedelta(days=1) + TZ_SLACK
    return None


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def evaluate_statements(mentions: pd.DataFrame, gold) -> dict:
    """Precision/recall of claim and denial mentions against the gold, plus speaker/side/date accuracy.

    Returns a dict: ``precision, recall, f1, n_extracted, n_gold, n_matched, speaker_accuracy,
    side_accuracy, date_accuracy`` (None when undefined), ``per_stance`` (the same figures for
    ``claim`` and ``denial``), and ``missed`` / ``spurious`` / ``wrong`` (lists of dicts naming the
    gold statements not found, the mentions matching nothing, and matches with a wrong speaker, side
    or date). Matching rules: see the module docstring.

    Example:
        >>> import pandas as pd
        >>> gold = {"statements": [{"doc_id": "a", "field": "body", "where": "claimed talks", "speaker": "Ann",
        ...          "side": "x", "stance": "claim", "on_or_before": "2026-01-02"}]}
        >>> ms = pd.DataFrame({"mention_id": ["a:body:0", "a:body:40"], "doc_id": ["a", "a"], "field": ["body"] * 2,
        ...     "stance": ["claim", "denial"], "text": ["Ann claimed talks.", "Bob denied."], "speaker": ["Ann", "Bob"],
        ...     "side": ["x", "y"], "said_from": pd.to_datetime([None, None], utc=True),
        ...     "said_to": pd.to_datetime(["2026-01-03", None], utc=True)})
        >>> r = evaluate_statements(ms, gold)
        >>> r["precision"], r["recall"], r["date_accuracy"], len(r["spurious"])
        (0.5, 1.0, 1.0, 1)
    """
    statements = _part(gold, "statements")
    m = mentions[mentions["stance"].isin(["claim", "denial"])].reset_index(drop=True)
    if "mention_id" not in m:
        m = m.assign(mention_id=[f"row{i}" for i in range(len(m))])
    c = {k: m[k].tolist() for k in ("mention_id", "doc_id", "stance", "text", "speaker", "side", "said_from",
                                     "said_to")}
    norm_text = [_norm(t) for t in c["text"]]
    by_loc: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(m["doc_id"], m["field"], m["stance"])):
        by_loc.setdefault(key, []).append(i)
    used: dict[int, int] = {}  # mention row -> gold index
    # Non-optional statements first, so an optional one never takes a mention a required one needs.
    order = sorted(range(len(statements)), key=lambda k: bool(statements[k].get("optional")))
    match: dict[int, int] = {}
    for k in order:
        g = statements[k]
        where = _norm(g["where"])
        cands = [i for i in by_loc.get((g["doc_id"], g["field"], g["stance"]), [])
                 if i not in used and where in norm_text[i]]
        if not cands:
            continue
        cands.sort(key=lambda i: (c["speaker"][i] != g.get("speaker"), i))
        used[cands[0]] = k
        match[k] = cands[0]

    def figures(stance: str | None) -> dict:
        idx = [k for k, g in enumerate(statements) if stance in (None, g["stance"])]
        required = [k for k in idx if not statements[k].get("optional")]
        rows = [i for i in range(len(m)) if stance in (None, c["stance"][i])]
        optional_hits = [i for i in rows if i in used and statements[used[i]].get("optional")]
        tp = [i for i in rows if i in used and not statements[used[i]].get("optional")]
        denom = len(rows) - len(optional_hits)
        found = [k for k in required if k in match]
        spk = [c["speaker"][match[k]] == statements[k].get("speaker") for k in found]
        side = [_same_side(c["side"][match[k]], statements[k].get("side")) for k in found]
        dates = [d for d in (_date_ok(statements[k], c["said_from"][match[k]], c["said_to"][match[k]])
                             for k in found) if d is not None]
        p, r = _ratio(len(tp), denom), _ratio(len(found), len(required))
        return dict(precision=p, recall=r, f1=(2 * p * r / (p + r)) if p and r else (0.0 if p is not None and r is not None else None),
                    n_extracted=denom, n_gold=len(required), n_matched=len(found),
                    speaker_accuracy=_ratio(sum(spk), len(spk)), side_accuracy=_ratio(sum(side), len(side)),
                    date_accuracy=_ratio(sum(dates), len(dates)))

    out = figures(None)
    out["per_stance"] = {s: figures(s) for s in ("claim", "denial")}
    out["missed"] = [dict(statements[k]) for k in range(len(statements))
                     if k not in match and not statements[k].get("optional")]
    out["spurious"] = [dict(mention_id=c["mention_id"][i], doc_id=c["doc_id"][i], stance=c["stance"][i],
                            speaker=c["speaker"][i], text=c["text"][i]) for i in range(len(m)) if i not in used]
    wrong = []
    for k, i in match.items():
        g = statements[k]
        problems = []
        if c["speaker"][i] != g.get("speaker"):
            problems.append(f"speaker {c['speaker'][i]!r} (gold {g.get('speaker')!r})")
        if not _same_side(c["side"][i], g.get("side")):
            problems.append(f"side {c['side'][i]!r} (gold {g.get('side')!r})")
        if _date_ok(g, c["said_from"][i], c["said_to"][i]) is False:
            problems.append(f"time [{c['said_from'][i]}, {c['said_to'][i]}]")
        if problems:
            wrong.append(dict(mention_id=c["mention_id"][i], where=g["where"], problems="; ".join(problems)))
    out["wrong"] = wrong
    return out


def _same_side(got, expected) -> bool:
    return (_missing(got) and _missing(expected)) or (not _missing(got) and got == expected)


# --------------------------------------------------------------------------------------------- latency

def evaluate_latency(latency: pd.DataFrame, events: pd.DataFrame, mentions: pd.DataFrame, gold) -> pd.DataFrame:
    """Check each gold latency pair: is the claim paired with a denial by the right speaker/side, within bounds?

    For each gold pair the claim event is the event of a claim mention by ``claim_speaker`` in
    ``claim_where.doc_id`` whose sentence contains ``claim_where.where``. Columns: ``claim_where,
    claim_found, paired, denial_ok, max_ok, min_ok, ok, latency_min, latency_max, basis,
    expected_basis, basis_agrees, note``. ``max_ok`` needs a finite ``latency_max`` no larger than
    ``latency_max_at_most``; ``min_ok`` needs ``latency_min`` at least ``latency_min_at_least``.
    ``ok`` = paired with the right denial and within both bounds; whether the gold's ``basis`` agrees
    is reported (``basis_agrees``) but not required, since a tighter bound may come from elsewhere.

    Example:
        >>> import pandas as pd
        >>> ms = pd.DataFrame({"doc_id": ["a"], "stance": ["claim"], "speaker": ["Ann"], "text": ["Ann claimed talks."],
        ...                    "event_id": ["E1"]})
        >>> ev = pd.DataFrame({"event_id": ["E1", "E2"], "side": ["x", "y"]})
        >>> lat = pd.DataFrame({"claim_event_id": ["E1"], "denial_event_id": ["E2"], "claim_speaker": ["Ann"],
        ...     "denial_speaker": ["Bob"], "latency_min": [pd.Timedelta(0)], "latency_max": [pd.Timedelta("1D")],
        ...     "basis": ["relative"], "note": ["'Hours later' in a"]})
        >>> gold = {"latency": [{"claim_speaker": "Ann", "claim_where": {"doc_id": "a", "where": "claimed talks"},
        ...          "denial_side": "y", "latency_max_at_most": "1 day", "latency_min_at_least": "0 s"}]}
        >>> evaluate_latency(lat, ev, ms, gold)[["claim_found", "paired", "ok"]].values.tolist()
        [[True, True, True]]
    """
    pairs = _part(gold, "latency")
    side_of = dict(zip(events["event_id"], events["side"])) if len(events) else {}
    lat_by_claim = {r["claim_event_id"]: r for r in latency.to_dict("records")} if len(latency) else {}
    claims = mentions[mentions["stance"] == "claim"]
    rows = []
    for g in pairs:
        where = g["claim_where"]
        hit = claims[(claims["doc_id"] == where["doc_id"]) & (claims["speaker"] == g["claim_speaker"])]
        hit = hit[pd.Series([_norm(where["where"]) in _norm(t) for t in hit["text"]], index=hit.index, dtype=bool)]
        eids = list(dict.fromkeys(hit["event_id"]))
        row = next((lat_by_claim[e] for e in eids if e in lat_by_claim), None)
        res = dict(claim_where=f"{where['doc_id']}: {where['where']}", claim_found=bool(eids), paired=row is not None,
                   denial_ok=False, max_ok=False, min_ok=False, latency_min=pd.NaT, latency_max=pd.NaT,
                   basis=None, expected_basis=g.get("basis"), note=None)
        if row is not None:
            ok_speaker = "denial_speaker" not in g or row["denial_speaker"] == g["denial_speaker"]
            ok_side = "denial_side" not in g or side_of.get(row["denial_event_id"]) == g["denial_side"]
            at_most = pd.Timedelta(g["latency_max_at_most"]) if g.get("latency_max_at_most") else None
            at_least = pd.Timedelta(g.get("latency_min_at_least") or 0)
            res.update(denial_ok=bool(ok_speaker and ok_side),
                       max_ok=bool(at_most is None or (not _missing(row["latency_max"]) and row["latency_max"] <= at_most)),
                       min_ok=bool(not _missing(row["latency_min"]) and row["latency_min"] >= at_least),
                       latency_min=row["latency_min"], latency_max=row["latency_max"], basis=row["basis"],
                       note=row["note"])
        res["ok"] = bool(res["paired"] and res["denial_ok"] and res["max_ok"] and res["min_ok"])
        res["basis_agrees"] = None if not g.get("basis") or row is None else res["basis"] == g["basis"]
        rows.append(res)
    cols = ["claim_where", "claim_found", "paired", "denial_ok", "max_ok", "min_ok", "ok", "latency_min",
            "latency_max", "basis", "expected_basis", "basis_agrees", "note"]
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------------- running

def run_chain(corpus: str | Path, story: str | Path, out: str | Path | None = None, use_cache: bool = True):
    """Analyze ``corpus`` for ``story`` and return an object with the five tables as attributes.

    Uses ``helpers.pipeline.analyze`` in this process (``out`` None: its default output folder).

    Example:
        >>> from helpers.paths import DEMO_CORPUS, DEMO_STORY
        >>> import tempfile, pathlib
        >>> r = run_chain(DEMO_CORPUS, DEMO_STORY, out=pathlib.Path(tempfile.mkdtemp()) / "demo")
        >>> {"articles", "mentions", "events", "latency"} <= set(vars(r))
        True
    """
    from . import pipeline

    return pipeline.analyze(corpus, story=story, out=out, jobs=1, progress=False, use_cache=use_cache)


def evaluate_corpus(name: str, result=None, out: str | Path | None = None, use_cache: bool = True) -> dict:
    """All figures for one known corpus (``demo`` or ``cuba-talks``): runs the chain unless ``result`` is given.

    Returns ``{"articles": DataFrame | None, "statements": dict | None, "latency": DataFrame | None}``.

    Example:
        >>> import tempfile, pathlib
        >>> figs = evaluate_corpus("cuba-talks", out=pathlib.Path(tempfile.mkdtemp()) / "ct")
        >>> 0 <= figs["statements"]["recall"] <= 1
        True
    """
    if name not in CORPORA:
        raise UserError(f"unknown corpus {name!r}: choose from {', '.join(CORPORA)}")
    gold = load_gold(name)
    if result is None:
        corpus, story = CORPORA[name]
        result = run_chain(corpus, story, out=out, use_cache=use_cache)
    return {
        "articles": evaluate_articles(result.articles, gold) if gold["articles"] is not None else None,
        "statements": evaluate_statements(result.mentions, gold) if gold["statements"] is not None else None,
        "latency": (evaluate_latency(result.latency, result.events, result.mentions, gold)
                    if gold["latency"] is not None else None),
    }


def _fmt(v) -> str:
    return "-" if v is None else f"{v:.2f}"


def figures_table(name: str, figs: dict) -> pd.DataFrame:
    """The headline figures of ``evaluate_corpus`` as a tidy table: ``corpus, part, metric, value, n``.

    Example:
        >>> figs = {"articles": None, "latency": None, "statements": {"precision": 0.5, "recall": 1.0,
        ...     "f1": 0.67, "n_extracted": 2, "n_gold": 1, "n_matched": 1, "speaker_accuracy": 1.0,
        ...     "side_accuracy": 1.0, "date_accuracy": None, "per_stance": {}}}
        >>> figures_table("demo", figs)["metric"].tolist()[:3]
        ['precision', 'recall', 'f1']
    """
    rows = []
    a = figs.get("articles")
    if a is not None:
        for r in a.itertuples():
            rows.append((name, "articles", r.field, r.accuracy, r.n))
    s = figs.get("statements")
    if s is not None:
        for stance, f in [("all", s), *sorted(s.get("per_stance", {}).items())]:
            part = "statements" if stance == "all" else f"statements:{stance}"
            rows.append((name, part, "precision", f["precision"], f["n_extracted"]))
            rows.append((name, part, "recall", f["recall"], f["n_gold"]))
            rows.append((name, part, "f1", f["f1"], f["n_gold"]))
            if stance == "all":
                for k in ("speaker_accuracy", "side_accuracy", "date_accuracy"):
                    rows.append((name, part, k, f[k], f["n_matched"]))
    lat = figs.get("latency")
    if lat is not None:
        rows.append((name, "latency", "pairs_ok", float(lat["ok"].mean()) if len(lat) else None, len(lat)))
        agree = lat["basis_agrees"].dropna() if "basis_agrees" in lat else []
        if len(agree):
            rows.append((name, "latency", "basis_agrees", float(agree.astype(bool).mean()), len(agree)))
    return pd.DataFrame(rows, columns=["corpus", "part", "metric", "value", "n"])


def main(args=None) -> int:
    """``python -m helpers evaluate [--corpus demo|cuba-talks ...]``: print the figures as a table.

    Example:
        $ python -m helpers evaluate --corpus cuba-talks
    """
    names = list(getattr(args, "corpus", None) or CORPORA)
    tables = []
    for name in names:
        folder = CORPORA[name][0] if name in CORPORA else None
        if folder is not None and not Path(folder).is_dir():
            print(f"{name}: corpus folder {folder} not found, skipped")
            continue
        try:
            load_gold(name)
        except UserError as exc:
            print(f"{name}: {exc}, skipped")
            continue
        figs = evaluate_corpus(name)
        tables.append(figures_table(name, figs))
        lat = figs.get("latency")
        if lat is not None and len(lat):
            for r in lat.itertuples():
                print(f"{name} latency {r.claim_where}: {'ok' if r.ok else 'FAIL'} "
                      f"[{r.latency_min}, {r.latency_max}] {r.basis or ''} {r.note or ''}".rstrip())
    if not tables:
        print("nothing evaluated")
        return 1
    table = pd.concat(tables, ignore_index=True)
    table["value"] = table["value"].map(_fmt)
    print(table.to_string(index=False))
    if not getattr(args, "no_fnc", False):
        print()
        print(fnc1_table().to_string(index=False))
    return 0


def fnc1_table(splits=("dev", "test"), judges_=None) -> pd.DataFrame:
    """Stance on real text nobody here wrote (FNC-1, see :mod:`helpers.fnc1`): per judge and split, the
    per-label precision / recall / F1, 3-class accuracy and ms per article. The rules were examined on
    errors of the ``dev`` half only; ``test`` is held out. Empty (with a note) when ../shared is absent.

    Example:
        >>> t = fnc1_table(splits=("test",), judges_=["cues"])  # doctest: +SKIP
        >>> sorted(set(t["label"]))  # doctest: +SKIP
        ['all', 'claim', 'denial', 'other']
    """
    from . import fnc1, judges

    if not (fnc1.FNC_DIR / "stance-pairs.jsonl").is_file():
        print(f"fnc-1: {fnc1.FNC_DIR} not found, skipped")
        return pd.DataFrame(columns=["set", "judge", "split", "label", "precision", "recall", "f1", "support"])
    rows = []
    for name in judges_ or judges.names():
        for split in splits:
            f = fnc1.evaluate_fnc1(name, split=split)
            for lab in ("denial", "claim", "other"):
                rows.append(dict(set="fnc-1", judge=name, split=split, label=lab, **f[lab]))
            rows.append(dict(set="fnc-1", judge=name, split=split, label="all", precision=None, recall=None,
                             f1=f["accuracy"], support=f["pairs"]))
            h = fnc1.evaluate_headlines(name, split=split)
            rows.append(dict(set="fnc-1 headline pairs", judge=name, split=split, label="denial", **h["denial"]))
    out = pd.DataFrame(rows)
    return out.rename(columns={"f1": "f1 (all: accuracy)"})
