"""Corrections by hand: a small YAML file beside the story overrides what the toolkit read.

The file is ``<story file without .yml>.corrections.yml`` next to the story (``data/stories/x.yml`` ->
``data/stories/x.corrections.yml``). Every run applies it, in ONE place: :func:`apply`, called by the
pipeline after the per-article stage and before events and latency, so the corrected stance, speaker
or side flows into every table and chart. Format::

    corrections:
      - sentence: "Hours later, Cuba's president publicly rejected Trump's claim."  # case, quotes, spaces ignored
        stance: denial                 # claim | denial | other
      - mention: "003_dc1100c513e7660b:body:812"    # a mention_id from the mentions table
        speaker: Marco Rubio           # a story speaker (its side follows) or any name
        side: us                       # a side id, or null
        note: misattributed quote      # optional, kept in the row's cue
      - mention: "002_8f504bddeffde316:title:0"
        drop: true                     # drop this row
      - article: 001_fe134b7985787236  # drop an article and its statements
        drop: true

Each correction names exactly one of ``mention``, ``sentence`` (optionally narrowed by ``doc``) or
``article``. A corrected row's ``cue`` starts with ``corrected by hand`` (and keeps the old cue), so
every table and chart can tell and count them (:func:`count_corrected`). A correction that matches
nothing is reported as a ``problems`` row (never silently ignored); a malformed file is a one-line
:class:`helpers.errors.UserError` naming the file, the correction and its line.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .errors import StoryError, UserError

__all__ = ["path_for", "load", "apply", "count_corrected", "salt", "note", "MARK", "Correction"]

#: How a corrected row's cue starts.
MARK = "corrected by hand"
_SELECTORS = ("mention", "sentence", "article")
_KEYS = frozenset(("mention", "sentence", "doc", "article", "stance", "speaker", "side", "drop", "note"))
_STANCES = ("claim", "denial", "other")


@dataclass
class Correction:
    """One correction: how it selects rows, what it changes, and where it was written."""

    n: int
    line: int
    select: str
    value: str
    doc: str | None = None
    changes: dict = field(default_factory=dict)
    drop: bool = False
    note: str | None = None


def path_for(story_path) -> Path:
    """Where the corrections of a story file live.

    Example:
        >>> path_for("data/stories/cuba-talks.yml").as_posix()
        'data/stories/cuba-talks.corrections.yml'
    """
    p = Path(story_path)
    return p.with_name(p.name.removesuffix(".yml").removesuffix(".yaml") + ".corrections.yml")


def _norm(text) -> str:
    t = unicodedata.normalize("NFKD", str(text))
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"[’‘ʼ`´]", "'", t)
    t = re.sub(r"[“”„]", '"', t)
    return " ".join(t.casefold().split()).strip(" .")


def load(path, side_ids=None) -> list[Correction]:
    """Read and validate a corrections file (``[]`` when it does not exist).

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.corrections.yml"
        >>> _ = p.write_text("corrections:\\n  - {sentence: Cuba denied it., stance: other}\\n")
        >>> [(c.select, c.changes) for c in load(p)]
        [('sentence', {'stance': 'other'})]
        >>> _ = p.write_text("corrections:\\n  - {sentence: x, stanse: other}\\n")
        >>> load(p)
        Traceback (most recent call last):
        ...
        helpers.errors.UserError: ...s.corrections.yml: correction 1 (line 2): unknown key 'stanse' (keys: article, doc, drop, mention, note, sentence, side, speaker, stance)
    """
    from .story import _UniqueKeyLoader

    p = Path(path)
    if not p.is_file():
        return []
    if p.stat().st_size > 1_000_000:
        raise UserError(f"{p}: more than 1 MB; a corrections file is for a few rows")
    text = p.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader)
    except StoryError as exc:
        raise UserError(f"{p}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UserError(f"{p}: not valid YAML{f' (line {mark.line + 1})' if mark else ''}") from None
    if raw is None:
        return []
    items, items_node = raw, node
    if isinstance(raw, dict):
        if set(raw) != {"corrections"}:
            raise UserError(f"{p}: expected one key, 'corrections', holding a list")
        items = raw["corrections"] or []
        items_node = next(v for k, v in node.value if k.value == "corrections")
    if not isinstance(items, list):
        raise UserError(f"{p}: 'corrections' must be a list of corrections")
    lines = [getattr(n, "start_mark", None) for n in getattr(items_node, "value", [])]
    out = []
    for i, item in enumerate(items, start=1):
        line = lines[i - 1].line + 1 if i - 1 < len(lines) and lines[i - 1] is not None else 0
        where = f"{p}: correction {i} (line {line})"
        if not isinstance(item, dict):
            raise UserError(f"{where}: expected a mapping such as {{sentence: ..., stance: other}}")
        bad = sorted(set(map(str, item)) - _KEYS)
        if bad:
            raise UserError(f"{where}: unknown key {bad[0]!r} (keys: {', '.join(sorted(_KEYS))})")
        sel = [k for k in _SELECTORS if k in item]
        if len(sel) != 1:
            raise UserError(f"{where}: name exactly one of mention, sentence, article")
        value = item[sel[0]]
        if not isinstance(value, str) or not value.strip():
            raise UserError(f"{where}: {sel[0]} must be a non-empty text")
        drop = item.get("drop", False)
        if not isinstance(drop, bool):
            raise UserError(f"{where}: drop must be true or false")
        changes = {}
        if "stance" in item:
            if item["stance"] not in _STANCES:
                raise UserError(f"{where}: stance must be claim, denial or other, not {item['stance']!r}")
            changes["stance"] = item["stance"]
        if "speaker" in item:
            if not isinstance(item["speaker"], str) or not item["speaker"].strip():
                raise UserError(f"{where}: speaker must be a name")
            changes["speaker"] = item["speaker"].strip()
        if "side" in item:
            sd = item["side"]
            if sd is not None and (not isinstance(sd, str) or (side_ids is not None and sd not in side_ids)):
                raise UserError(f"{where}: side {sd!r} is not a side of the story "
                                f"({', '.join(sorted(side_ids or []))}, or null)")
            changes["side"] = sd
        if sel[0] == "article" and (changes or not drop):
            raise UserError(f"{where}: an article correction can only drop the article (drop: true)")
        if not changes and not drop:
            raise UserError(f"{where}: says nothing to change (stance, speaker, side or drop: true)")
        if drop and changes:
            raise UserError(f"{where}: drop: true with changes; choose one")
        note = item.get("note")
        out.append(Correction(i, line, sel[0], value.strip(), doc=item.get("doc"), changes=changes, drop=drop,
                              note=None if note is None else str(note)))
    return out


def apply(frames: dict, story) -> dict:
    """Apply the story's corrections to the per-article tables (``articles``, ``mentions``,
    ``problems``) and return them; stale corrections become ``problems`` rows. No file: unchanged.

    Example:
        >>> import pandas as pd
        >>> from helpers.paths import REAL_STORY
        >>> from helpers.story import load_story
        >>> frames = {"articles": pd.DataFrame({"doc_id": ["a"]}), "problems": pd.DataFrame(),
        ...           "mentions": pd.DataFrame({"mention_id": ["a:body:0"], "doc_id": ["a"], "text": ["X."],
        ...                                     "speaker": ["Rubio"], "side": ["us"], "stance": ["claim"], "cue": ["said"]})}
        >>> apply(frames, load_story(REAL_STORY))["mentions"]["stance"].tolist()  # no corrections file
        ['claim']
    """
    src = getattr(story, "_source", None)
    if not src or src == "<story>":
        return frames
    cpath = path_for(src)
    corr = load(cpath, {s.id for s in story.sides})
    if not corr:
        return frames
    arts, ms = frames["articles"], frames["mentions"].copy()
    stale = []
    keep_art = pd.Series(True, index=arts.index)
    keep = pd.Series(True, index=ms.index)
    norm_text = ms["text"].map(_norm) if len(ms) else pd.Series([], dtype=object)
    for c in corr:
        if c.select == "article":
            hit = arts["doc_id"].astype(str) == c.value
            if not hit.any():
                stale.append(c)
                continue
            keep_art &= ~hit
            keep &= ms["doc_id"].astype(str) != c.value
            continue
        if c.select == "mention":
            hit = ms["mention_id"].astype(str) == c.value
        else:
            hit = norm_text == _norm(c.value)
            if c.doc:
                hit &= ms["doc_id"].astype(str) == str(c.doc)
        hit &= keep
        if not hit.any():
            stale.append(c)
            continue
        if c.drop:
            keep &= ~hit
            continue
        ch = dict(c.changes)
        if "speaker" in ch and "side" not in ch and story.knows(ch["speaker"]):
            ch["side"] = story.side_of(ch["speaker"])
        for col, val in ch.items():
            ms.loc[hit, col] = val
        what = ", ".join(f"{k} {v if v is not None else 'null'}" for k, v in ch.items())
        old = ms.loc[hit, "cue"].astype(str).str.replace(rf"^{MARK} \([^)]*\); was: ", "", regex=True)
        ms.loc[hit, "cue"] = f"{MARK} ({what}{'; ' + c.note if c.note else ''}); was: " + old
    frames = dict(frames)
    frames["articles"] = arts[keep_art].reset_index(drop=True)
    frames["mentions"] = ms[keep].reset_index(drop=True)
    if stale:
        rows = [{"source_path": str(cpath), "severity": "warning",
                 "message": f"correction {c.n} (line {c.line}) matches nothing: {c.select} {c.value[:80]!r}; "
                            f"fix it or delete it"} for c in stale]
        frames["problems"] = pd.concat([frames["problems"], pd.DataFrame(rows)], ignore_index=True)
    return frames


def salt(fingerprint: str | None, story_path) -> str | None:
    """The pipeline's corpus fingerprint, changed when the story's corrections file changes (so a kept
    result is reused only with the same corrections). Validates the file early. No file: unchanged.

    Example:
        >>> salt("abc", "no/such/story.yml")
        'abc'
    """
    cpath = path_for(story_path)
    if not cpath.is_file():
        return fingerprint
    from .story import load_story

    load(cpath, {s.id for s in load_story(story_path).sides})  # malformed: a clear error before any work
    if fingerprint is None:
        return None
    h = hashlib.sha256(fingerprint.encode() + cpath.read_bytes() + Path(__file__).read_bytes())
    return h.hexdigest()[:24]


def count_corrected(mentions: pd.DataFrame) -> int:
    """How many rows of a mentions table were corrected by hand.

    Example:
        >>> import pandas as pd
        >>> count_corrected(pd.DataFrame({"cue": ["said", "corrected by hand (stance other); was: said"]}))
        1
    """
    if mentions is None or "cue" not in mentions or mentions.empty:
        return 0
    return int(mentions["cue"].astype(str).str.startswith(MARK).sum())


def note(result, story_path=None) -> str:
    """One line for a notebook or report: how many rows were corrected by hand, and which file says so
    ("" when none).

    Example:
        >>> import pandas as pd
        >>> from types import SimpleNamespace as NS
        >>> note(NS(mentions=pd.DataFrame({"cue": ["corrected by hand (stance other); was: said"]})))
        'Corrected by hand: 1 statement row(s).'
    """
    n = count_corrected(getattr(result, "mentions", None))
    if not n:
        return ""
    where = f" (see {path_for(story_path).name})" if story_path else ""
    return f"Corrected by hand: {n} statement row(s){where}."
