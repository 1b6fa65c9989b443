"""Writing a story file with the corpus as a guide: ``story draft``, ``story check`` and ``explain``.

- :func:`draft` reads a corpus for a claim and writes a DRAFT story (YAML text): the proposition, and the
  people, institutions and outlets the corpus shows making claims or denials about it, most frequent first,
  each with counts and an example sentence, for the user to sort into sides.
- :func:`check` / :func:`check_tables` list what to fix in a story for a corpus: aliases on two sides,
  ambiguous short forms, aliases listed twice or already derived, names never seen in the corpus, and the
  most frequent speakers of claims and denials the story does not know (counts + an example sentence).
  ``python -m helpers analyze`` prints the warnings of :func:`check_tables` after its summary.
- :func:`explain` says what the toolkit read in one sentence: speaker, side, stance, cue, the rule when
  the row carries one, and for ``other`` the near-miss evidence :func:`helpers.stance.explain` gives.

All three are built on :func:`helpers.corpus.load_corpus` and :func:`helpers.extraction.extract_mentions`,
so they read exactly what the pipeline reads.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from .errors import UserError
from .story import (TITLE_WORDS, Story, _key, default_topic_terms, derive_forms, load_story,
                    looks_like_person)

__all__ = ["draft", "check", "check_tables", "format_check", "explain", "format_explain", "split_name_role"]

CHECK_COLUMNS = ["level", "check", "name", "count", "example", "advice"]
_PRONOUNS = frozenset("he she they it we i you this that who".split())


# ------------------------------------------------------------------------------------------ helpers
def _story(story) -> Story:
    return story if isinstance(story, Story) else load_story(story)


def _mentions(corpus, story: Story) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles, mentions) of a corpus for a story, read as the pipeline reads them (one process)."""
    from . import corpus as corpus_mod, extraction

    arts = corpus_mod.load_corpus(corpus).articles
    rows: list[dict] = []
    for art in arts.to_dict("records"):
        if isinstance(art.get("duplicate_of"), str):
            continue  # a syndicated copy says nothing new
        rows += extraction.extract_mentions(art, story)
    cols = ["doc_id", "field", "speaker", "speaker_text", "side", "stance", "cue", "text"]
    ms = pd.DataFrame(rows) if rows else pd.DataFrame(columns=cols)
    return arts, ms


def _short(text, n: int = 160) -> str:
    t = " ".join(str(text).split())
    return t if len(t) <= n else t[: n - 1] + "…"


_NAME_WORD = re.compile(r"^[A-Z\u00C0-\u024F][\w.'’\u00C0-\u024F-]*$")
#: Title words that end a role before a name ("Foreign Minister Bruno Rodríguez"); not "State", "Health" ...
_TITLES = TITLE_WORDS - frozenset("""state national security press communications defence defense finance interior trade
economy health justice affairs the a an and of for own""".split())
_PARTICLE = frozenset("de del der van von da di du la le bin al el dos das".split())


def split_name_role(text: str) -> tuple[str, str | None]:
    """Split the words an article used for a speaker into (name, role): the trailing run of capitalised
    words that are not title words is the name, what comes before it is the role.

    Example:
        >>> split_name_role("Cuban Foreign Minister Bruno Rodríguez")
        ('Bruno Rodríguez', 'Cuban Foreign Minister')
        >>> split_name_role("the State Department")
        ('State Department', None)
        >>> split_name_role("Cuban officials"), split_name_role("President Díaz-Canel")
        (('Cuban officials', None), ('Díaz-Canel', 'President'))
    """
    t = " ".join(str(text).split()).strip(" ,;:")
    if t.endswith(".") and "." not in t.split()[-1][:-1]:
        t = t[:-1]  # "Jewish Telegraphic Agency." but "U.S.", "Jr."
    t = re.sub(r"^(?:the|a|an)\s+", "", t, flags=re.I)
    words = t.split()
    i = len(words)
    while i > 0 and (_NAME_WORD.match(words[i - 1]) or (words[i - 1].lower() in _PARTICLE and i < len(words)))\
            and words[i - 1].lower().strip(".,") not in _TITLES and not words[i - 1].endswith(("'s", "’s")):
        i -= 1
    name_words = words[i:]
    if i > 0 and name_words and (len(name_words) >= 2 and looks_like_person(" ".join(name_words))
                                 or words[i - 1].lower().strip(".,") in _TITLES):
        return " ".join(name_words), " ".join(words[:i])
    return t, None


#: Capitalised at the start of a sentence, but no name: "Reports", "Sources", "Officials".
_GENERIC = frozenset("""reports report sources source officials experts critics witnesses police analysts observers
insiders staff staffers people residents doctors lawyers investigators authorities media others some many""".split())
_OUTLET_PHRASE = re.compile(r"^(?:an?\s+|the\s+)?(?:(?:news\s+)?reports?|story|article|investigation)\s+(?:by|from|in)\s+(.+)$"
                            r"|^according\s+to\s+(.+)$", re.I)


def _is_named(text: str) -> bool:
    """A speaker with at least one capitalised word that is not a title or a generic noun (not "officials",
    "a spokesman", "Reports")."""
    return any(_NAME_WORD.match(w) and w.lower().strip(".,") not in TITLE_WORDS | _GENERIC
               for w in str(text).split() if w.lower() not in ("the", "a", "an"))


# ------------------------------------------------------------------------------------------ draft
def draft(corpus, claim: str, top: int = 30, name: str | None = None) -> str:
    """A draft story (YAML text) for ``claim`` from the statements a corpus shows about it.

    The speakers of claims and denials are listed most frequent first, each with its counts and an
    example sentence as a comment; those with more claims than denials start under ``claimants``, the
    others under ``deniers``; outlets and unnamed speakers are listed as comments under a ``media`` side.
    Move each line to the right side, delete the ones that do not belong, then run ``story check``.

    Example:
        >>> from helpers.paths import REAL_CORPUS
        >>> text = draft(REAL_CORPUS, "The United States and Cuba are holding talks.")  # doctest: +SKIP
        >>> "Díaz-Canel" in text                                                           # doctest: +SKIP
        True
    """
    claim = " ".join(str(claim).split())
    if not claim:
        raise UserError("--claim is empty: write the proposition as one plain sentence")
    if claim.endswith("?"):
        raise UserError("--claim is a question: write it as a plain statement (\"A and B held talks.\")")
    prov = Story.model_validate({"name": "draft", "proposition": {"text": claim},
                                 "sides": [{"id": "press", "kind": "media"}]})
    arts, ms = _mentions(corpus, prov)
    outlets = Counter(o for o in arts["outlet"].dropna().astype(str) if o.strip())
    outlet_keys = {_key(o) for o in outlets}
    stats: dict[str, dict] = {}
    unnamed: Counter = Counter()
    unnamed_ex: dict[str, str] = {}
    for row in ms.itertuples(index=False):
        if row.stance not in ("claim", "denial"):
            continue
        spk = re.sub(r"^[^\w“\"']+", "", str(row.speaker)).strip()
        om = _OUTLET_PHRASE.match(spk)
        if om:  # "a report by CNN": the outlet speaks
            spk = (om.group(1) or om.group(2)).strip()
            outlet_keys.add(_key(spk))
        if not _is_named(spk):
            k = " ".join(spk.lower().split())
            unnamed[k] += 1
            unnamed_ex.setdefault(k, _short(row.text))
            continue
        nm, role = split_name_role(spk)
        st = stats.setdefault(nm, {"claim": 0, "denial": 0, "roles": Counter(), "example": {}, "docs": set()})
        st[row.stance] += 1
        st["docs"].add(row.doc_id)
        if role and role.lower().strip(".") not in ("dr", "mr", "mrs", "ms", "miss", "sir", "dame", "prof"):
            st["roles"][role] += 1
        st["example"].setdefault(row.stance, _short(row.text))
    # a surname alone ("Rodríguez") joins the one full name ending with it
    for nm in sorted(stats, key=len):
        if " " in nm or nm not in stats:
            continue
        full = [o for o in stats if o != nm and o.endswith(" " + nm) and looks_like_person(o)]
        if len(full) == 1:
            a, b = stats[full[0]], stats.pop(nm)
            for k in ("claim", "denial"):
                a[k] += b[k]
            a["roles"] += b["roles"]
            a["docs"] |= b["docs"]
            for k, v in b["example"].items():
                a["example"].setdefault(k, v)
    order = sorted(stats, key=lambda n: (-(stats[n]["claim"] + stats[n]["denial"]), n))[:top]
    media = [n for n in order if _key(n) in outlet_keys]
    claimants = [n for n in order if n not in media and stats[n]["claim"] >= stats[n]["denial"]]
    deniers = [n for n in order if n not in media and n not in claimants]

    def line(n: str) -> list[str]:
        st = stats[n]
        spec = {"name": n}
        if st["roles"]:
            spec["role"] = st["roles"].most_common(1)[0][0]
        body = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in spec.items())
        ex = st["example"].get("claim") or st["example"].get("denial")
        return [f"      # {st['claim']} claim(s), {st['denial']} denial(s) in {len(st['docs'])} article(s): "
                f"{json.dumps(ex, ensure_ascii=False)}",
                f"      - {{{body}}}"]

    slug = name or re.sub(r"[^a-z0-9]+", "-", Path(str(corpus)).name.lower()).strip("-") or "my-story"
    out = [
        f"# DRAFT story written by `python -m helpers story draft` from {Path(str(corpus)).name}/ "
        f"({len(arts)} articles, {int((ms['stance'] != 'other').sum()) if len(ms) else 0} claims and denials found).",
        "# 1. Check the proposition: ONE plain sentence, as the claimants would assert it (docs/story-format.md).",
        "# 2. Move every speaker to the right side (the first guess: more claims than denials = claimants);",
        "#    delete the ones that do not belong; add a role (\"President of Cuba\") where the articles use one.",
        "# 3. python -m helpers story check CORPUS --story THIS_FILE",
        f"name: {slug}",
        "proposition:",
        f"  text: {json.dumps(claim, ensure_ascii=False)}",
        f"  # topic_terms: {json.dumps(default_topic_terms(claim), ensure_ascii=False)}   "
        "(optional: words naming the event)",
        "sides:",
    ]
    for sid, names in (("claimants", claimants), ("deniers", deniers)):
        if not names:
            out.append(f"  # (no speaker found for a side '{sid}')")
            continue
        out += [f"  - id: {sid}", "    speakers:"]
        for n in names:
            out += line(n)
    out += ["  - id: press", "    kind: media       # outlets and their anonymous sources are credited here"]
    if media:
        out.append("    speakers:")
        for n in media:
            out += line(n)
    if outlets:
        out.append("    # outlets in the corpus: " + ", ".join(f"{o} ({c})" for o, c in outlets.most_common(12)))
    named = _names_on_topic(arts, prov, skip={_key(n) for n in order})
    if named:
        out.append("# Also named in sentences on the topic (no claim or denial read there; add the ones that speak):")
        out.append("#   " + ", ".join(f"{n} ({c})" for n, c in named))
    if unnamed:
        out.append("    # unnamed speakers of claims/denials (no name to list; the media side or the nearest "
                   "named speaker gets them):")
        for k, c in unnamed.most_common(8):
            out.append(f"    #   {c}x {k}: {json.dumps(unnamed_ex[k], ensure_ascii=False)}")
    return "\n".join(out) + "\n"


_CAPS_NAME = re.compile(r"\b(?:[A-Z][\w’'.-]*[a-z][\w’'.-]*(?:\s+(?:(?:de|del|der|van|von|da|di|la|le|bin|al)\s+)*"
                        r"[A-Z][\w’'.-]*[a-z][\w’'.-]*)+|[A-Z]{2,5}\b(?![’'.-]))")
_NOT_NAMES = frozenset("""the a an according but and in on at as it this that he she they we his her their its if when
while after before however meanwhile yet also then last first one two""".split())


def _names_on_topic(arts: pd.DataFrame, story: Story, skip: set, top: int = 15) -> list[tuple[str, int]]:
    """Capitalised names (two words or more, or an acronym such as "CNN") in the sentences that hold a
    topic word, most frequent first: people and outlets a draft should consider."""
    from .extraction import split_sentences

    from .proposition import parse

    prop = parse(story.proposition.text, tuple(story.proposition.topic_terms))
    counts: Counter = Counter()
    for field in ("title", "body"):
        if field not in arts:
            continue
        for text in arts[field].dropna().astype(str):
            for a, b in split_sentences(text):
                sent = text[a:b]
                rel = prop.relevance(sent)
                if not (rel.on_topic or rel.weak):
                    continue
                for m in _CAPS_NAME.finditer(sent):
                    words = m.group(0).replace("’s", "").replace("'s", "").split()
                    while words and words[0].lower() in _NOT_NAMES:
                        words = words[1:]
                    titled = False
                    while len(words) > 1 and words[0].lower().strip(".") in _TITLES:
                        words, titled = words[1:], True
                    if not words or (len(words) == 1 and not words[0].isupper() and not titled):
                        continue
                    name = " ".join(words).strip(".,'’")
                    if name.isupper() and len(name) < 2:
                        continue
                    counts[name] += 1
    return [(n, c) for n, c in counts.most_common() if _key(n) not in skip and c > 1][:top]


# ------------------------------------------------------------------------------------------ check
def check_tables(story, articles: pd.DataFrame, mentions: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """What to fix in ``story`` for a corpus already read (``articles`` with title/body, ``mentions``
    with speaker/side/stance/text): one row per finding, columns ``level`` (error / warning / info),
    ``check``, ``name``, ``count``, ``example``, ``advice``.

    Example:
        >>> import pandas as pd
        >>> from helpers.paths import REAL_STORY
        >>> arts = pd.DataFrame({"title": ["Rubio says talks"], "body": ["Rubio said talks are on."]})
        >>> ms = pd.DataFrame({"speaker": ["Ann Pundit"], "side": [None], "stance": ["claim"],
        ...                    "text": ["Ann Pundit said talks are on."]})
        >>> t = check_tables(REAL_STORY, arts, ms)
        >>> t.loc[t["check"] == "unknown speaker", ["name", "count"]].values.tolist()
        [['Ann Pundit', 1]]
        >>> "Miguel Díaz-Canel" in set(t.loc[t["check"] == "never seen", "name"])
        True
    """
    s = _story(story)
    ix = s.index
    rows: list[dict] = []

    def add(level, check, name, count, example, advice):
        rows.append(dict(level=level, check=check, name=name, count=count, example=example, advice=advice))

    # ambiguous short forms, across or within sides
    for key, names in sorted(ix.dropped.items()):
        sides = {ix.side.get(n) for n in names}
        add("warning", "ambiguous form" if len(sides) == 1 else "form on two sides", ", ".join(names), None,
            key, f"'{key}' would fit {' and '.join(names)}: neither gets it. List it as an alias of the one "
                 "it means, if it always means one of them.")
    # aliases listed twice, or already derived
    for sp_name, listed in ix.listed.items():
        derived = {_key(f) for f in derive_forms(sp_name, ix.role.get(sp_name) or None)}
        seen: dict[str, str] = {}
        for a in listed[1:]:
            k = _key(a)
            if k in seen:
                add("info", "alias listed twice", sp_name, None, f"{seen[k]!r} / {a!r}",
                    "the same after ignoring case, accents and apostrophes: keep one")
            elif k in derived:
                add("info", "alias already derived", sp_name, None, a, "derived from the name and role: "
                    "it can be deleted")
            seen.setdefault(k, a)
    # names never seen
    texts = [str(t) for c in ("title", "body") if c in articles for t in articles[c].dropna().tolist()]
    seen_count: Counter = Counter()
    for t in texts:
        for m in ix.speaker_spans(t):
            seen_count[m[3]] += 1
    for n in ix.names:
        if not seen_count[n]:
            add("warning", "never seen", n, 0, "", "no form of this name appears in the corpus: check the "
                "spelling, or add the form the articles use as an alias")
    # speakers of claims/denials the story does not know
    if len(mentions):
        ms = mentions[mentions["stance"].isin(["claim", "denial"])]
        unknown = ms[[not s.knows(str(x)) and str(x).lower() not in _PRONOUNS for x in ms["speaker"]]]
        if len(unknown):
            counts = unknown.groupby("speaker", sort=False).agg(count=("stance", "size"), example=("text", "first"))
            counts = counts.sort_values("count", ascending=False, kind="stable").head(top)
            for name, r in counts.iterrows():
                inside = sorted({m.name for m in s.find_speakers(str(name))})
                advice = ("speaks on the proposition but the story does not know it: add it to a side "
                          "(or to a neutral side), or ignore it if it is no real speaker")
                if inside:
                    advice = (f"holds the story's {', '.join(inside)} but was not credited to it: add these words "
                              f"as an alias if they always mean {inside[0]}, or correct the rows "
                              "(<story>.corrections.yml)")
                add("warning", "unknown speaker", str(name), int(r["count"]), _short(r["example"]), advice)
    out = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    out["count"] = out["count"].astype("Int64")
    return out


def check(corpus, story, top: int = 10) -> pd.DataFrame:
    """:func:`check_tables` for a corpus folder and a story file (reads the corpus as the pipeline does).

    Example:
        >>> from helpers.paths import DEMO_CORPUS, DEMO_STORY
        >>> t = check(DEMO_CORPUS, DEMO_STORY)
        >>> list(t.columns)
        ['level', 'check', 'name', 'count', 'example', 'advice']
    """
    s = _story(story)
    arts, ms = _mentions(corpus, s)
    return check_tables(s, arts, ms, top=top)


def format_check(table: pd.DataFrame) -> str:
    """The check table as plain text, one finding per paragraph (what ``story check`` prints).

    Example:
        >>> print(format_check(pd.DataFrame(columns=CHECK_COLUMNS)))
        story check: nothing to fix
    """
    if table.empty:
        return "story check: nothing to fix"
    lines = [f"story check: {len(table)} finding(s)"]
    for r in table.itertuples(index=False):
        count = "" if pd.isna(r.count) else f" ({r.count}x)"
        lines.append(f"{r.level}: {r.check}: {r.name}{count}")
        if r.example:
            lines.append(f"    e.g. {r.example}")
        lines.append(f"    -> {r.advice}")
    return "\n".join(lines)


def warnings_for(story_path, articles: pd.DataFrame, mentions: pd.DataFrame, top: int = 5) -> list[str]:
    """One-line warnings of :func:`check_tables` (what ``analyze`` prints after its summary).

    Example:
        >>> import pandas as pd
        >>> from helpers.paths import REAL_STORY
        >>> warnings_for(REAL_STORY, pd.DataFrame({"body": ["Rubio said."]}), pd.DataFrame())[:2]
        ['story check: form on two sides: Donald Trump, Miguel Díaz-Canel', 'story check: never seen: Donald Trump']
    """
    t = check_tables(story_path, articles, mentions, top=top)
    t = t[t["level"] != "info"]
    return [f"story check: {r.check}: {r.name}" + ("" if pd.isna(r.count) or not r.count else f" ({r.count}x)")
            for r in t.itertuples(index=False)]


# ------------------------------------------------------------------------------------------ explain
def explain(sentence: str, story, headline: str | None = None) -> pd.DataFrame:
    """What the toolkit reads in one sentence (and an optional headline) for a story: one row per
    statement with ``field``, ``speaker``, ``speaker_text``, ``side``, ``stance``, ``cue``, ``rule`` and
    ``why``. When no statement is found, one row says why, with the stance judge's near-miss evidence.

    Example:
        >>> from helpers.paths import REAL_STORY
        >>> t = explain("“There is no dialogue,” the Cuban president said.", REAL_STORY)
        >>> t[["speaker", "side", "stance", "cue"]].values.tolist()
        [['Miguel Díaz-Canel', 'cuba', 'denial', 'no dialogue']]
    """
    from . import extraction, stance as stance_mod

    s = _story(story)
    sentence = " ".join(str(sentence).split())
    if not sentence:
        raise UserError("explain: the sentence is empty")
    art = {"doc_id": "explain", "title": headline, "published_at": None, "published_precision": "unknown",
           "body": sentence}
    rows = extraction.extract_mentions(art, s)
    terms = tuple(s.proposition.topic_terms)
    from .proposition import parse
    out = []
    for r in rows:
        res = stance_mod.explain(r["text"], s.proposition.text, topic_terms=terms)
        why = r.get("rule") or (f"stance judge: {res.label} on {res.cue!r}" if res.cue else "")
        out.append(dict(field=r["field"], speaker=r["speaker"], speaker_text=r["speaker_text"], side=r["side"],
                        known=s.knows(r["speaker"]), stance=r["stance"], cue=r["cue"], rule=r.get("rule"),
                        why=why, text=r["text"]))
    if not out:
        res = stance_mod.explain(sentence, s.proposition.text, topic_terms=terms)
        names = [m.name for m in s.find_speakers(sentence)]
        rel = parse(s.proposition.text, terms).relevance(sentence)
        topic = rel.on_topic or rel.weak
        if res.label != "other":
            why = (f"the stance judge reads {res.label} ({res.cue!r}) but no speaker was attributed: "
                   + ("the story names " + ", ".join(names) + " here, not as the subject of a speech verb"
                      if names else "no story speaker and no speech verb (said, told, denied ...) found"))
        elif not topic:
            p = parse(s.proposition.text, terms)
            why = (f"the sentence does not name the proposition's event ({', '.join(p.events)}) with its "
                   f"participants ({', '.join(x.label for x in p.participants)}): if the article uses another "
                   f"word for the event, add it to topic_terms")
        else:
            why = "the stance judge found no claim or denial" + (f"; nearest evidence: {res.cue!r}" if res.cue
                                                                  else "")
        out.append(dict(field="body", speaker=names[0] if names else None, speaker_text=None,
                        side=s.side_of(names[0]) if names else None, known=bool(names), stance="other",
                        cue=res.cue or None, rule=None, why=why, text=sentence))
    return pd.DataFrame(out)


def format_explain(table: pd.DataFrame) -> str:
    """:func:`explain`'s table as plain text (what ``python -m helpers explain`` prints).

    Example:
        >>> from helpers.paths import REAL_STORY
        >>> print(format_explain(explain("Rubio said talks are underway.", REAL_STORY)).splitlines()[0])
        body: Marco Rubio (side us) -> claim, cue 'said'
    """
    lines = []
    for r in table.itertuples(index=False):
        who = "no speaker" if not r.speaker else f"{r.speaker} (side {r.side or 'null'}" + \
            ("" if r.known else ", not in the story") + ")"
        lines.append(f"{r.field}: {who} -> {r.stance}" + (f", cue {r.cue!r}" if r.cue else ""))
        if r.rule:
            lines.append(f"    rule: {r.rule}")
        if r.why and r.why != r.rule:
            lines.append(f"    why: {r.why}")
    return "\n".join(lines)
