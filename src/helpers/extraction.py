"""Attributed statements in one article -> rows of the ``mentions`` table, with their evidence.

``extract_mentions(article, story)`` finds who said what in the title and the body, resolves the
speaker through the story's aliases, judges the stance towards the story's proposition (the default
judge of :mod:`helpers.judges`, with the article's context) and the time of saying
(:func:`helpers.reltime.resolve`).

Speech shapes recognised (each a *frame*: speaker, speech verb, content):

- subject + verb: "X said (that) ...", "X on Monday dismissed ...", "X told reporters on Feb. 1 that ...",
  "Posting on X, he rejected ...", "X, the minister, said", "X, who ..., said", headlines "Cuba denies US
  talks", "Trump Claims Negotiations"; "X made the claim", "X issued a statement";
- quote first: "“...,” said X", "“...,” X repeated", "“...” X wrote on ..."; quote after: "X said: “...”";
  parenthetical: "The talks, X said, were going well";
- passive: "... have been dismissed by X"; relative clauses: "..., a statement that X has denied",
  "negotiations that X says do not exist";
- a speech participle after another verb: "On Tuesday he went further, claiming that ...";
- "According to X, ..." (when nothing else in the sentence attributes it);
- headline "X: ‘quote’"; a sentence that is only a quotation continues the previous quoted speaker.

Two frames in one sentence are two mentions (ids ``<doc>:<field>:<start>``, then ``#2``, ``#3``).
"X dismissed ..., hours after Y claimed ..." links X's mention to Y's (``after_mention_id``, ``lag_max``
from the phrase); "Hours later, X rejected ..." / "X rejected it within hours" link to the latest earlier
mention of the opposite stance in the article. Both intervals are then narrowed (Y before X, by at most
the lag), with basis ``relative``.

Stance is judged towards the story's proposition (:mod:`helpers.proposition`, :mod:`helpers.judges`);
"rejected his claim" (no topic word) counts once the article is on topic; talks "between" or "with"
parties foreign to the story ("talks between the rail operator and the union") are ``other``.

Speakers: the longest story alias ending where the subject ends; "he"/"she" -> the most recent person
speaker whose pronoun agrees (learnt from the article: "Moranth says she ..."); "they"/"it" -> the most
recent group speaker; "the <role>" / "her <role>" -> the story speaker with that role (on the side of the
one "her" refers to); anyone else keeps the article's words (side null). Mentions whose stance is
``other`` are kept only for story speakers (threats, offers: context); unknown speakers are kept only for
claims and denials.

Reporting: an outlet or agency is a speaker without being listed ("The Daily Ledger reported",
"according to Reuters"); anonymous sources ("people familiar with the matter") are credited to the outlet
that cites them (:func:`_media_speaker`); a headline or a reporting sentence no frame attributes is the
article's own outlet's statement, dated at publication (:func:`_narration`; the outlet from the page
metadata or the byline, :func:`byline_outlet`). Event verbs ("spoke with B", "called B") are no speech.

Sentences: split on ., ! and ? followed by a capital or a quotation mark, never inside a quotation, never
after an abbreviation ("U.S.", "Feb.", "Dr.", initials), and always at line ends. List items ("- ...",
"• ...") are never statements. Only sentences with a speech verb or an opening quotation mark are
examined further (a set lookup per word); aliases are matched once per field; nothing is set up per
article beyond that. What depends only on a line or a sentence (its splitting, frames, stance, time words)
is memoised on all its inputs (bounded LRU caches): news repeats lines and sentences across articles.

Example:
    >>> import pandas as pd
    >>> from helpers.story import load_story
    >>> from helpers.paths import REAL_STORY
    >>> art = {"doc_id": "d1", "title": "Havana Rejects Talk Claim",
    ...        "body": "Trump said on Sunday that Washington was talking to Havana. Hours later, Cuban officials "
    ...                "said there were no talks.", "published_at": pd.Timestamp("2026-01-12", tz="UTC"),
    ...        "published_precision": "day", "published_tz": None}
    >>> rows = extract_mentions(art, load_story(REAL_STORY))
    >>> [(r["field"], r["speaker"], r["stance"], r["cue"]) for r in rows]
    [('title', 'Cuban government', 'denial', 'Rejects'), ('body', 'Donald Trump', 'claim', 'said'), ('body', 'Cuban government', 'denial', 'no talks')]
    >>> rows[1]["time_cue"], str(rows[1]["said_from"].date()), rows[2]["after_mention_id"], str(rows[2]["lag_max"])
    ('on Sunday', '2026-01-11', 'd1:body:0', '1 days 00:00:00')
"""
from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from dataclasses import dataclass, field as dc_field
from functools import lru_cache

import pandas as pd

from . import judges, lexicon, reltime
from .proposition import parse as parse_proposition
from .story import SpeakerMatch, Story, kind_of, looks_like_person

__all__ = ["extract_mentions", "split_sentences", "find_frames", "Frame"]

I = re.IGNORECASE

# ------------------------------------------------------------------------------------------ lexicons
_SPEECH_VERBS = (
    r"say|says|said|state|states|stated|tell|tells|told|add|adds|added|note|notes|noted|stress|stresses|stressed|"
    r"reiterate|reiterates|reiterated|repeat|repeats|repeated|write|writes|wrote|posted|tweeted|announce|announces|"
    r"announced|insist|insists|insisted|maintain|maintains|maintained|assert|asserts|asserted|declare|declares|"
    r"declared|explain|explains|explained|remarked|argue|argues|argued|affirm|affirms|affirmed|confirm|confirms|"
    r"confirmed|acknowledge|acknowledges|acknowledged|admit|admits|admitted|respond|responds|responded|reply|"
    r"replies|replied|answer|answers|answered|suggest|suggests|suggested|indicate|indicates|indicated|emphasise|"
    r"emphasises|emphasised|emphasize|emphasizes|emphasized|underline|underlines|underlined|point\s+out|"
    r"points\s+out|pointed\s+out|describe|describes|described|reported|claim|claims|claimed|allege|alleges|"
    r"alleged|contend|contends|contended|deny|denies|denied|dismiss|dismisses|dismissed|reject|rejects|rejected|"
    r"refute|refutes|refuted|rebuff|rebuffs|rebuffed|contradict|contradicts|contradicted|dispute|disputes|disputed|"
    r"warn|warns|warned|urge|urges|urged|threaten|threatens|threatened|ask|asks|asked|demand|demands|demanded|"
    r"rule\s+out|rules\s+out|ruled\s+out|brush(?:es|ed)?\s+(?:off|aside)|call|calls|called|promise|promises|"
    r"promised|vow|vows|vowed|pledge|pledges|pledged|hint|hints|hinted|concede|concedes|conceded|reveal|reveals|"
    r"revealed|disclose|discloses|disclosed|boast|boasts|boasted|retort|retorts|retorted|predict|predicts|"
    r"predicted|spoke|speaks|accuse|accuses|accused|counter|counters|countered|comment|comments|commented|"
    r"recall|recalls|recalled|mention|mentions|mentioned|"
    r"(?:made|makes|make)\s+(?:the|a|an|his|her|their|its|that|this|these|those)\s+(?:[\w-]+\s+)?"
    r"(?:claims?|remarks?|statements?|comments?|assertions?|announcement|accusations?)|"
    r"(?:issued|issues|issue)\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:statement|denial|warning|rebuttal)")
_VERB = re.compile(r"\b(?:" + _SPEECH_VERBS + r")\b", I)
_PARTICIPLES = "claiming saying insisting arguing asserting stating denying adding maintaining suggesting alleging noting warning"
#: First words of every speech verb form (and participle): a set lookup per word is the cheap prefilter.
_VERB_FIRST_WORDS = frozenset(
    w.split("\\s")[0] for w in re.sub(r"\(\?:[^)]*\)\??", "", _SPEECH_VERBS).split("|") if w and w[0].isalpha()
) | frozenset("brush brushes brushed made makes make issued issues issue according".split()) | frozenset(_PARTICIPLES.split())
_WORD = re.compile(r"[A-Za-z]+")
_QUOTE_START = re.compile(r"^\s*[“\"]|:\s*[‘“'\"]")

#: Adverbs, auxiliaries and time phrases that may sit between a subject and its speech verb.
_AUX_TOKEN = (
    r"(?:has|have|had|also|however|then|later|earlier|again|now|already|once|never|just|first|further|too|since|both|"
    r"each|all|"
    r"did|does|do|would|will|could|may|might|can|should|must|shall|not|n['’]t|is|are|was|were|"
    r"[a-z]\w*ly|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today|last\s+week|this\s+week|"
    r"on\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?|on\s+\d{1,2}\s+[A-Z][a-z]{2,8}|"
    r"for\s+(?:his|her|its|their)\s+part|in\s+(?:a|its|his|her|their)\s+(?:\w+\s+)?statement)")
_AUX_TAIL = re.compile(r"(?:[\s,]+(?:" + _AUX_TOKEN + r"))+[\s,]*$")
_BE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being|has\s+been|have\s+been|had\s+been)\s+(?:\w+ly\s+)?$", I)
_PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "group", "we": "group", "i": "person"}
_BOUNDARY_WORDS = frozenset("""that which who whom whose and but or as after before while when because since if
though although than where so yet nor whether once until unless following despite amid with without said says
told stated added hours days minutes""".split())
_PERSON_HEADS = frozenset("""officials official authorities authority government spokesman spokeswoman
spokesperson spokespeople minister ministers ministry president premier leader leaders diplomat diplomats
observers analysts analyst experts expert sources source people aides aide adviser advisers advisor advisors
reporter reporters executive executives company companies firm statement report reports agency agencies police
lawyer lawyers attorney chairman chairwoman chair ceo director directors secretary envoy envoys negotiator
negotiators team club union party office commission committee board members member residents witnesses critics
officer officers commander commanders army military mediators mediator traders pilots economists economist
politicians politician lawmakers lawmaker senator senators governor mayor ambassador ambassadors ministries
administration embassy council parliament government's operator operators organisers organizers campaign
campaigners activists activist groups group media newspaper spokesmen prosecutors prosecutor judge court
""".split())
_AGENT_SUFFIX = re.compile(r"^\w{3,}(?:ers|ors|ists|ians|ants|ents|er|or|ist|ian)$")
_QUOTE_PAIRS = re.compile(r"“[^“”]*”|\"[^\"]*\"")
_CONNECTOR = re.compile(
    r"(?P<cue>(?:\b(?:\d+|a|an|one|two|three|four|five|six|seven|a\s+few|several|some|just|only|not\s+long)\s+)?"
    r"\b(?:hours?|minutes?|days?|weeks?|shortly|soon|moments|within\s+hours)\s+(?:after|following)"
    r"|\b(?:after|following))\s*$", I)
_PARTICIPLE = re.compile(r",\s+(?:claiming|saying|insisting|arguing|asserting|stating|denying|adding|maintaining|"
                         r"suggesting|alleging|noting|warning|posting|writing)\b", I)
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+")
_TOKEN_BEFORE = re.compile(r"([\w.]+)$")
_OF_AFTER = re.compile(r"\s+of\b")
_THAT_AFTER = re.compile(r"\s+(?:that|to|whether|if|about)\b")
_BY_AFTER = re.compile(r"\s+by\s+")
_INVERTED_BEFORE = re.compile(r"(?:[,.!?]\s*[”\"]|[”\"]\s*,?|,)\s*$")
_REL_BEFORE = re.compile(r"(?:\b(?:that|which)|,)\s*$")
_DET_BEFORE = re.compile(r"\b(?:the|a|an|his|her|its|their|our|my|your|this|these|those|such|any|no)\s+$", I)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–—▪►·]|\d+[.)])\s+")
_SENT_END = re.compile(r"[.!?]+[”\"’')\]]*")
_ABBREV = frozenset("""mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st jr sr inc corp ltd co vs etc no
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun mt ft pres dept est
approx min max fig vol pp""".split())
_STARTERS = frozenset("""the he she it they we i but in on a an this that his her their its there after at as for
when while meanwhile however officials""".split())
_ATTRIB_AHEAD = re.compile(
    r"^\s*(?:(?:[A-Z][\w’'.-]*|the|a|an|he|she|they|it)\s+){1,5}?(?:" + _SPEECH_VERBS + r")\b", I)


@dataclass
class Frame:
    """One attributed statement inside a sentence (offsets relative to the sentence)."""

    verb_start: int
    verb_end: int
    speaker_start: int
    speaker_end: int
    speaker_text: str
    kind: str  # active | inverted | quote_first | passive | headline | participle | according | continued
    content: tuple[int, int]       # span of what was said (quote or clause)
    zone: tuple[int, int] = (0, 0)  # words about the act of saying (for the time)
    aux_start: int = 0
    quote: str | None = None
    extra: dict = dc_field(default_factory=dict)


# ------------------------------------------------------------------------------------------ sentences
def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``: one per sentence, never across a line break.

    Example:
        >>> t = 'The U.S. envoy met Dr. Ruiz on Feb. 1. “Is it over? No,” he said. Talks resume Monday\\nNext line'
        >>> [t[s:e] for s, e in split_sentences(t)]
        ['The U.S. envoy met Dr. Ruiz on Feb. 1.', '“Is it over? No,” he said.', 'Talks resume Monday', 'Next line']
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        spans += [(pos + a, pos + b) for a, b in _line_spans(line)]
        pos += len(line) + 1
    return spans


@lru_cache(maxsize=16384)
def _line_spans(line: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of one line (sentences never cross lines). Memoised: news repeats its
    paragraphs (wire copy, boilerplate), and a line's spans depend on nothing else."""
    spans: list[tuple[int, int]] = []
    if not line.strip():
        return ()
    balanced = line.count("“") == line.count("”") and line.count('"') % 2 == 0
    end = len(line.rstrip())
    s = 0
    counted, opens, closes, straight = 0, 0, 0, 0  # quote marks in line[:counted] (kept incrementally: linear)
    for m in _SENT_END.finditer(line):
        e = m.end()
        if e >= end:
            break
        if not line[e].isspace():
            continue
        nm = _NONSPACE.search(line, e)
        nxt = nm.group(0) if nm else ""
        if not (nxt.isupper() or nxt in "“\"‘'"):
            continue
        if balanced:
            seg = line[counted:e]
            opens, closes, straight, counted = opens + seg.count("“"), closes + seg.count("”"), \
                straight + seg.count('"'), e
            if opens > closes or straight % 2 == 1:
                continue  # inside a quotation
        rest = line[e:e + 200]  # what the checks below look at: a bounded window, never the whole rest
        if m.group(0)[0] == "." and _is_abbrev(line, m.start(), rest):
            continue
        if m.group(0)[-1] in "”\"" and _ATTRIB_AHEAD.match(rest) and _quote_only(line, s, m.start()):
            continue  # “... ZERO!” Trump wrote ...
        _add(spans, line, s, e)
        s = e
    _add(spans, line, s, len(line))
    return tuple(spans)


_NONSPACE = re.compile(r"\S")


def _add(spans, line, s, e):
    seg = line[s:e]
    lead = len(seg) - len(seg.lstrip())
    seg = seg.strip()
    if seg:
        spans.append((s + lead, s + lead + len(seg)))


def _quote_only(line: str, s: int, i: int) -> bool:
    """Is the sentence so far (line[s:i]) one quotation? Then an attribution may follow its end."""
    seg = line[s:i].lstrip()
    if seg.startswith("“"):
        return "”" not in seg
    return seg.startswith('"') and '"' not in seg[1:]


def _inside_quote(line: str, i: int) -> bool:
    before = line[:i]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _is_abbrev(line: str, i: int, rest: str) -> bool:
    m = _TOKEN_BEFORE.search(line, max(0, i - 30), i)
    if not m:
        return False
    tok = m.group(1)
    if tok.lower() in _ABBREV:
        return True
    if _INITIAL.fullmatch(tok):  # an initial: "J. Smith"
        return True
    if _AM_PM.fullmatch(tok):  # a.m. / p.m.: a sentence ends unless a time zone follows
        nxt = _NEXT_WORD.match(rest)
        return bool(nxt and _TZ_ABBR.fullmatch(nxt.group(1)))
    if _DOTTED.fullmatch(tok):  # U.S.: a sentence may still end there
        nxt = _NEXT_WORD.match(rest)
        return not (nxt and nxt.group(1).lower() in _STARTERS)
    return False


_INITIAL = re.compile(r"[A-Z]")
_AM_PM = re.compile(r"(?:[a-z]\.)+[a-z]")
_TZ_ABBR = re.compile(r"[A-Z]{2,5}")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_NEXT_WORD = re.compile(r"\s*([\w’']+)")


# ------------------------------------------------------------------------------------------ frames
def _prefilter(sent: str) -> bool:
    """Could the sentence hold a statement? A speech verb (any form), or a quotation at its start."""
    if not _VERB_FIRST_WORDS.isdisjoint(_WORD.findall(sent.lower())):
        return True
    # _QUOTE_START needs a quotation mark or a colon: without one, no regex scan (most sentences)
    return ("“" in sent or '"' in sent or ":" in sent) and _QUOTE_START.search(sent) is not None


def _verbs(sent: str):
    """Speech verbs of the sentence: candidate words by set lookup, then the exact pattern there."""
    for w in _WORD.finditer(sent):
        if w.group(0).lower() in _VERB_FIRST_WORDS:
            m = _VERB.match(sent, w.start())
            if m:
                yield m


def _quote_spans(sent: str) -> list[tuple[int, int]]:
    if "“" not in sent and '"' not in sent:
        return []  # no quotation mark: no regex scan
    return [(m.start(), m.end()) for m in _QUOTE_PAIRS.finditer(sent)]


def _in_spans(i: int, spans) -> bool:
    return any(a < i < b for a, b in spans)


_HEADLINE_WORD = re.compile(r"[A-Za-z][\w’'-]*")


def _is_headline(sent: str) -> bool:
    words = _HEADLINE_WORD.findall(sent)
    long = [w for w in words if len(w) > 3]
    return bool(long) and sum(w[0].isupper() for w in long) >= 0.7 * len(long)


def _subject(pre: str, aliases, base: int = 0):
    """Find the subject that ends ``pre`` (the text before a speech verb).

    Returns ``(start, end, text, alias_or_None, aux_start)`` or None. ``aliases``: story matches in the
    sentence (offsets relative to the sentence; ``base`` is ``pre``'s offset in it).
    """
    cut = max(0, len(pre) - 90)  # the auxiliary zone is short: search only the end of the text
    m = _AUX_TAIL.search(pre, cut)
    aux_start = m.start() if m else len(pre.rstrip())
    np_text = pre[:aux_start] if m else pre.rstrip()
    low = np_text[-4:].lower()
    if low == " to" or low[-3:] == " to" or np_text.lower() == "to":
        return None  # an infinitive ("allow Rubio to later claim")
    np_text = np_text.rstrip()
    end = len(np_text)
    if end == 0:
        return None
    # appositive: "Ann Lee, the minister, said" / "the minister, Ann Lee, said" / "X, who ..., said"
    if np_text.endswith(","):
        am = _APPOSITIVE.search(np_text)
        if not am:
            return None
        inner = am.group(1).strip()
        head = np_text[:am.start()].rstrip()
        inner_start = np_text.rfind(inner, 0, end)
        if head:
            if not inner.lower().startswith(("who ", "which ", "whose ")) and _name_like(inner):
                al = _alias_ending(aliases, base + inner_start + len(inner), base + inner_start)
                return (inner_start, inner_start + len(inner), inner, al, aux_start)
            got = _subject(head + " ", aliases, base)
            if got:
                return got[:4] + (aux_start,)
        return None
    al = _alias_ending(aliases, base + end)
    if al is not None:
        s = al.start - base
        before = np_text[:s]
        if not _PREP_BEFORE.search(before) and not _POSSESSIVE_BEFORE.search(before):
            return (s, end, np_text[s:end], al, aux_start)
    # "hydrologists who attended the session (have said)": the subject is before "who"
    rel = _WHO_CLAUSE.search(np_text)
    if rel and rel.start() > 0:
        got = _subject(np_text[:rel.start()] + " ", aliases, base)
        if got:
            return got[:4] + (aux_start,)
    # pronoun
    pm = _PRONOUN_END.search(np_text, max(0, end - 5))  # a separator and "they" at most: only the end
    if pm:
        return (pm.start(1), end, pm.group(1), None, aux_start)
    # anonymous sources with a post-modifier: "people familiar with the matter (said)", "a person close to the
    # club": the phrase's "with"/"to" would cut it short
    anon = _anon_ending(np_text, end)
    if anon is not None:
        return (anon, end, np_text[anon:end], None, aux_start)
    # generic noun phrase (unknown speaker)
    toks = _last_tokens(np_text)
    if not toks:
        return None
    last = toks[-1]
    if last.end() != end:
        return None  # ends with punctuation: no subject here
    head = last.group(0)
    headl = head.lower().strip(".")
    if headl in _BOUNDARY_WORDS or headl in _PRONOUNS or headl.endswith(("'s", "’s")):
        return None  # "Trump’s claim": a possessive is no subject
    start_tok = len(toks) - 1
    while start_tok > 0 and len(toks) - start_tok < 8:
        prev = toks[start_tok - 1]
        gap = np_text[prev.end():toks[start_tok].start()]
        if gap.strip() or prev.group(0).lower() in _BOUNDARY_WORDS:
            break
        if _VERB.fullmatch(prev.group(0)) and not prev.group(0)[0].isupper():
            break
        start_tok -= 1
    window = toks[start_tok:]
    # the phrase ends with its head ("Cuban officials"), or has a head with a post-modifier
    # ("bankers close to the deal", "people familiar with the matter")
    if not _is_head(head) and not any(_is_head(t.group(0), strict=True) and nxt.group(0).lower() in _POSTMOD
                                      for t, nxt in zip(window, window[1:])):
        return None
    s = window[0].start()
    words = np_text[s:end]
    if _ACCORDING_START.match(words):
        return None
    return (s, end, words, None, aux_start)


def _anon_ending(np_text: str, end: int) -> int | None:
    """Start of an anonymous-source phrase ("people familiar with the matter") ending at ``end``, else None."""
    if not _ANON.search(np_text, max(0, end - 90)):
        return None
    for am in _ANON_PHRASE.finditer(np_text + " said", max(0, end - 90)):
        if am.end() == end and am.start() < end and len(_ANON_COUNT_START.sub("", am.group(0)).split()) > 1:
            return am.start()
    return None  # a one-word head ("a presidency source", "the insider"): the generic phrase keeps its words


_APPOSITIVE = re.compile(r"(?:^|,)\s*((?:who|which|whose)\s[^,]{2,240}|[^,]{2,90}),$")
_PREP_BEFORE = re.compile(r"\b(?:of|to|by|for|with|near|from|around|at|close\s+to|in)\s+$", I)
_POSSESSIVE_BEFORE = re.compile(r"['’]s\s+$")
_WHO_CLAUSE = re.compile(r"\s+who\s+[^,;:“”\"]{1,80}$")
_PRONOUN_END = re.compile(r"(?:^|[\s,;:(“”\"])((?i:he|she|they|it|we))$")
_NP_TOKEN = re.compile(r"[\w’'.&-]+")
_NOT_NP_TOKEN = re.compile(r"[^\w’'.&-]")


def _last_tokens(text: str, n: int = 9) -> list[re.Match]:
    """The ``_NP_TOKEN`` matches of ``text``, or only its last ``n`` or more: a subject is at most eight
    words, and what comes before a speech verb can be a whole paragraph (tokenizing all of it for every
    verb). The tokens after a character no token holds are the whole text's tokens."""
    cut = len(text) - 15 * n
    sep = _NOT_NP_TOKEN.search(text, cut) if cut > 0 else None
    if sep is not None:
        toks = list(_NP_TOKEN.finditer(text, sep.end()))
        if len(toks) >= n:
            return toks
    return list(_NP_TOKEN.finditer(text))


_ACCORDING_START = re.compile(r"(?i)according\s+to\b")
_POSTMOD = frozenset("of for at in from with close familiar near on to by inside within briefed involved "
                     "knowledgeable aware".split())


def _is_head(word: str, strict: bool = False) -> bool:
    """Can ``word`` end a speaker's noun phrase? A name, or a person-like noun (officials, spokesman,
    bankers ...). ``strict``: lower-case person nouns only (inside a phrase, capitals are modifiers)."""
    low = word.lower().strip(".")
    if low in _PERSON_HEADS or low in _ORG_NOUNS or _AGENT_SUFFIX.search(low):
        return True
    return not strict and word[:1].isupper()


_PARTICLES = frozenset("de van von da del der bin al la le".split())


def _name_like(text: str) -> bool:
    """"Renata Oskel", "Carlos Fernández de Cossío": one to four capitalised words (name particles allowed)."""
    words = text.split()
    return 1 <= len(words) <= 4 and all(w[0].isupper() for w in words if w.lower() not in _PARTICLES)


def _alias_ending(aliases, end: int, start_min: int = -1):
    best = None
    for a in aliases:
        if a.end == end and a.start >= start_min and (best is None or a.end - a.start > best.end - best.start):
            best = a
    return best


def _alias_starting(aliases, start: int):
    best = None
    for a in aliases:
        if a.start == start and (best is None or a.end - a.start > best.end - best.start):
            best = a
    return best


_SPACES0 = re.compile(r"\s*")
_NP_AFTER = re.compile(r"((?:the|a|an|one|two|three)\s+)?([\w’'.-]+(?:\s+[\w’'.-]+){0,6}?)"
                       r"(?=\s*(?:[,.;:!?]|$|\s+(?:who|which|when|on|in|at|after|before)\b))", I)


def _after_np(sent: str, i: int, aliases):
    """Speaker after an inverted verb ("..., said Donald Trump, President of ..."): (start, end, text, alias)."""
    s = _SPACES0.match(sent, i).end()
    al = _alias_starting(aliases, s)
    if al is not None:
        return (al.start, al.end, al.text, al)
    m = _NP_AFTER.match(sent[s:])
    if not m:
        return None
    words = m.group(0)
    head = words.split()[-1].lower()
    if not (words.split()[-1][0].isupper() or head in _PERSON_HEADS or _AGENT_SUFFIX.search(head) or head in _PRONOUNS):
        return None
    return (s, s + len(words), words, None)


def find_frames(sent: str, story: Story, is_title: bool = False, aliases=None) -> list[Frame]:
    """The attributed statements of one sentence, in order (see the module doc for the shapes).

    Example:
        >>> from helpers.paths import REAL_STORY
        >>> from helpers.story import load_story
        >>> s = "“We are talking,” said Donald Trump, hours after Havana denied it."
        >>> [(f.kind, f.speaker_text, f.quote) for f in find_frames(s, load_story(REAL_STORY))]
        [('inverted', 'Donald Trump', 'We are talking,'), ('active', 'Havana', None)]
    """
    ix = story.index if isinstance(story, Story) else story
    if aliases is None:
        aliases = ix.find_speakers(sent)
    quotes = _quote_spans(sent)
    headline = None
    frames: list[Frame] = []
    for vm in _verbs(sent):
        v0, v1 = vm.start(), vm.end()
        if _in_spans(v0, quotes):
            continue
        word = vm.group(0)
        if word.lower() in _EVENT_LIKE and not _SPEECH_AFTER.match(sent, v1):
            continue  # "A spoke with B", "A called B": the event itself, not a statement
        if word[0].isupper() and v0 > 0:
            if headline is None:
                headline = is_title or _is_headline(sent)
            if not headline:
                continue  # "the United States", "Read More": a capitalised word mid-sentence is no verb
        if _DET_BEFORE.search(sent, max(0, v0 - 12), v0):
            continue  # "her claim", "the statements", "such reports": a noun
        if _OF_AFTER.match(sent, v1) or (_THAT_AFTER.match(sent, v1) and _BE_BEFORE.search(sent, max(0, v0 - 40), v0)):
            continue  # "Accused of", "was told that", "was asked whether"
        # passive with an agent: "... have been dismissed by Cuban authorities"
        pm = _BY_AFTER.match(sent, v1)
        if pm and word.lower().endswith(("ed", "told", "said")):
            np = _after_np(sent, pm.end(), aliases)
            if np is not None:
                be = _BE_BEFORE.search(sent, max(0, v0 - 40), v0)
                cstart = frames[-1].content[1] if frames else 0
                cend = be.start() if be else v0
                frames.append(Frame(v0, v1, np[0], np[1], np[2], "passive", (cstart, cend),
                                    zone=(v0, np[1]), aux_start=cend, extra={"alias": np[3]}))
                continue
        pre = sent[:v0]
        subj = _subject(pre, aliases)
        if subj is not None:
            s0, s1, text, al, aux = subj
            kind = "headline" if is_title else "active"
            qf = _quote_before(sent, s0, quotes)
            if qf is not None:
                content = (qf[0], len(sent))
                frames.append(Frame(v0, v1, s0, s1, text, "quote_first", content, zone=(s0, _zone_end(sent, v1)),
                                    aux_start=aux, quote=sent[qf[0] + 1:qf[1] - 1].strip(), extra={"alias": al}))
            else:
                # the time of saying: words around the speaker and verb, and an opening adverbial ("On
                # Monday, X said"), never the content before a late speaker ("... on 24 September, X reported")
                z0 = 0 if s0 <= 40 else s0
                frames.append(Frame(v0, v1, s0, s1, text, kind, (v1, len(sent)), zone=(z0, _zone_end(sent, v1)),
                                    aux_start=aux, extra={"alias": al}))
            continue
        # inverted: "“...,” said X" / "..., said X"
        if _INVERTED_BEFORE.search(sent, max(0, v0 - 8), v0):
            np = _after_np(sent, v1, aliases)
            if np is not None:
                qf = _quote_before(sent, v0, quotes)
                cs = qf[0] if qf else 0
                frames.append(Frame(v0, v1, np[0], np[1], np[2], "inverted", (cs, len(sent)),
                                    zone=(v0, _zone_end(sent, np[1])), aux_start=v0,
                                    quote=sent[qf[0] + 1:qf[1] - 1].strip() if qf else None,
                                    extra={"alias": np[3]}))
    # "On Tuesday he went further, claiming that ...": a participle of speech after a non-speech verb
    if not frames:
        pm = _PARTICIPLE.search(sent)
        if pm:
            # its subject: the first story alias (not a possessive) or pronoun before it
            cands = [(a.start, a.end, a.text, a) for a in aliases
                     if a.end <= pm.start() and not _POSSESSIVE.match(sent, a.end)][:1]
            pro = _PRONOUN.search(sent, 0, pm.start())
            if pro:
                cands.append((pro.start(1), pro.end(1), pro.group(1), None))
            if cands:
                c = min(cands, key=lambda x: x[0])
                v0 = pm.start() + pm.group(0).index(pm.group(0).split()[-1])
                frames.append(Frame(v0, pm.end(), c[0], c[1], c[2], "participle", (pm.end(), len(sent)),
                                    zone=(0, _zone_end(sent, pm.end())), aux_start=v0, extra={"alias": c[3]}))
    # "According to X, ..." / "..., according to X." (when nothing attributes the words before it)
    am = _ACCORDING.search(sent) if "ccording" in sent else None  # a substring test first: rare words
    if am is not None and frames and min(f.speaker_start for f in frames) < am.start():
        am = None
    if am is not None:
        np = _after_np(sent, am.end(), aliases)
        if np is not None:
            at_start = not sent[:am.start()].strip()
            content = (np[1], len(sent)) if at_start else (0, am.start())
            frames.append(Frame(am.start(), am.end(), np[0], np[1], np[2], "according", content,
                                zone=(am.start(), np[1]), aux_start=am.start(), extra={"alias": np[3]}))
    # headline "X: ‘quote’" / "X: quote"
    if is_title and not frames:
        hm = _HEADLINE_QUOTE.match(sent)
        if hm:
            head = hm.group(1)
            al = next((a for a in aliases if a.end <= len(head)), None)
            if al is not None:
                frames.append(Frame(al.end, al.end, al.start, al.end, al.text, "headline", (hm.start(3), len(sent)),
                                    zone=(0, len(head)), aux_start=al.end,
                                    quote=hm.group(3) if hm.group(2) else None, extra={"alias": al}))
    # each frame's content ends where the next frame's speaker begins
    frames.sort(key=lambda f: f.verb_start)
    for a, b in zip(frames, frames[1:]):
        if a.kind != "passive" and b.speaker_start > a.verb_end and b.speaker_start < a.content[1]:
            a.content = (a.content[0], b.speaker_start)
    return frames


#: Verbs that name an event (a call, a conversation) unless speech follows: "called it a smear",
#: "called for", "spoke of", "spoke to reporters".
_EVENT_LIKE = frozenset("spoke speaks call calls called".split())
_SPEECH_AFTER = re.compile(r"\s+(?:for|on|of|about|out)\b|\s+to\s+(?:reporters|journalists|the\s+(?:press|media))\b|"
                           r"\s+on\s+condition|\s+(?:[^,.;:!?]{0,60}?\s)?(?:an?\s|[“\"‘'])", I)
_POSSESSIVE = re.compile(r"['’]s\b")
_PRONOUN = re.compile(r"\b(he|she|they|it)\b", I)
_HEADLINE_QUOTE = re.compile(r"^(.{2,80}?):\s+([‘“'\"]?)(.+?)[’”'\"]?\s*$")
_ZONE = re.compile(r"(?:\s+(?!that\b)[^\s“\",:;]+){0,6}")


def _quote_before(sent: str, i: int, quotes):
    """The quotation that ends right before position ``i`` ("“...,” X said"), if any."""
    for a, b in quotes:
        if b <= i and _QUOTE_GAP.fullmatch(sent, b, i):
            return (a, b)
    return None


#: Between a quotation and its speaker: commas, spaces and a short title ("spokeswoman", "Nimbara's chief
#: executive"), never a verb of speech.
_QUOTE_GAP = re.compile(r"[\s,]*(?:(?!(?:said|says|told|added|wrote)\b)[\w’'.-]+[\s,]+){0,5}")


def _zone_end(sent: str, v1: int) -> int:
    """End of the words about the act of saying: up to 'that', a quote, a colon or comma, at most 6 words."""
    return _ZONE.match(sent, v1).end()


# ------------------------------------------------------------------------------------------ speakers
_CLAUSE_END = re.compile(r"[.!?;]\s")
_GENDER_HINT = re.compile(r"\b(?:he|she|his|her|him|hers|himself|herself)\b", I)


class _Context:
    """What the article has said so far: recent speakers (for pronouns) and mentions (for links)."""

    def __init__(self, story: Story):
        self.ix = story.index
        self.prop_text = story.proposition.text
        self.prop_terms = tuple(story.proposition.topic_terms or ())
        self.prop = parse_proposition(self.prop_text, self.prop_terms)
        self.judge = judges.get()
        self.media_side = getattr(story, "media_side", None)
        self.outlet: str | None = None  # the article's outlet (speaker of what the article says itself)
        self.last_person: tuple[str, str | None] | None = None
        self.persons: list[tuple[str, str | None]] = []
        self.last_group: tuple[str, str | None] | None = None
        self.recent: list[tuple[str, str | None, str]] = []  # (speaker, side, speaker_text)
        self.mentions: list[dict] = []
        self.on_topic = False
        self.gender: dict[str, str] = {}  # canonical name -> "he" / "she", learnt from the article itself
        self.at: reltime.Anchor | None = None  # the article's publication, for the time words (set per article)

    def learn_genders(self, text: str, matches) -> None:
        """"Moranth says she is ready": the first he/she/his/her after a person's name, in the same
        sentence and before any other name, tells that person's pronoun. ``matches``: aliases in text, as
        :meth:`helpers.story.StoryIndex.speaker_spans` tuples (start, end, text, name, side)."""
        found = [m for m in matches if self.ix.person.get(m[3])]
        for a, b in zip(found, found[1:] + [None]):
            if a[3] in self.gender:
                continue  # the first hint decides: later ones are not looked at
            stop = b[0] if b is not None else len(text)
            seg = text[a[1]:stop]
            cut = _CLAUSE_END.search(seg)
            seg = seg[:cut.start()] if cut else seg
            pm = _GENDER_HINT.search(seg)
            if pm:
                self.gender[a[3]] = "she" if pm.group(0).lower() in ("she", "her", "hers", "herself") else "he"

    def note(self, speaker: str, side, text: str, known: bool):
        person = self.ix.person.get(speaker, False) if known else looks_like_person(speaker)
        if text.lower() in ("he", "she") and speaker != text:
            self.gender.setdefault(speaker, text.lower())
        if person:
            self.persons.append((speaker, side))
            self.last_person = (speaker, side)
        elif known or text.lower() not in _PRONOUNS:
            self.last_group = (speaker, side)
        self.recent.append((speaker, side, text))


_ROLE_PHRASE = re.compile(r"(?i:(the|his|her|its|their))\s+([a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})")


@lru_cache(maxsize=1024)
def _with_role(ix, phrase: str) -> tuple[str, ...]:
    """Story speakers whose role holds every word of ``phrase`` ("foreign minister"), memoised per story."""
    words = phrase.split()
    return tuple(n for n in ix.names if all(w in ix.role[n].lower() for w in words))


def _resolve_speaker(frame: Frame, ix, ctx: _Context, sent: str = ""):
    """(speaker, side, known) for a frame (``sent``: its sentence, for "the club said" after a name)."""
    al = frame.extra.get("alias")
    if al is not None:
        return al.name, al.side, True
    text = frame.speaker_text.strip()
    low = text.lower()
    if low in ("he", "she"):
        # the most recent person whose pronoun (when the article shows it) agrees
        ref = next((p for p in reversed(ctx.persons) if ctx.gender.get(p[0], low) == low), None)
        if ref is not None:
            return ref[0], ref[1], ref[0] in ix.side
        return text, None, False
    if low in _PRONOUNS:
        ref = ctx.last_person if _PRONOUNS[low] == "person" else (ctx.last_group or ctx.last_person)
        if ref is not None:
            return ref[0], ref[1], ref[0] in ix.side
        return text, None, False
    om = _ORG_REF.fullmatch(text)
    if om:
        org = _org_referent(om.group(3).lower(), frame, ix, ctx, sent, modified=bool(om.group(2)))
        if org is not None:
            return org, ix.side[org], True
    rm = _ROLE_PHRASE.fullmatch(text)
    if rm:
        det, phrase = rm.group(1).lower(), rm.group(2)
        has_role = _with_role(ix, phrase)
        if det == "the":
            for name, side, said in reversed(ctx.recent):
                if name in has_role or phrase in said.lower():
                    return name, side, name in ix.side
            if len(has_role) == 1:
                return has_role[0], ix.side[has_role[0]], True
        else:
            # "her foreign minister": the speaker with that role on the side of the one "her" refers to
            ref = ctx.last_person if det in ("his", "her") else (ctx.last_group or ctx.last_person)
            same = [n for n in has_role if ref is not None and ix.side[n] == ref[1] and n != ref[0]]
            if len(same) == 1:
                return same[0], ix.side[same[0]], True
    return _media_speaker(text, ctx)


_ORG_NOUNS = frozenset(lexicon.groups("organisations")["common nouns"])


_ORG_REF = re.compile(r"(?:(the|its|a|an)\s+)?((?:[\w-]+\s+){0,2}?)(" + "|".join(sorted(map(re.escape, _ORG_NOUNS), key=len, reverse=True))
                      + r")(?:\s+(spokesman|spokeswoman|spokesperson|official|statement))?", I)


def _org_referent(noun: str, frame: Frame, ix, ctx: _Context, sent: str, modified: bool = False) -> str | None:
    """Rule ``organisation noun``: "the club said", "the airline said", "a hospital spokesman said", a headline's
    "Hospital denies ..." refer to an organisation: the one story organisation whose name ends with the noun
    ("Brennock General Hospital"); else the one story organisation the sentence names before the frame
    ("Skyreach Airways has no plans to cut jobs, the airline said"); else the most recent story organisation
    that spoke in the article ("Ashgrove United denied ... . 'There is no truth to the story,' the club
    said"). Never a person or a collective ("officials"); None when the sentence names two organisations.
    A noun with modifiers ("Health authority", "the rival club") only by the name ending with it."""
    def org(name):
        return name in ix.side and not ix.person.get(name, False) and kind_of(name) == "institution"
    by_name = [n for n in ix.side if org(n) and n.split()[-1].lower() == noun]
    if len(by_name) == 1:
        return by_name[0]
    if by_name or modified:
        return None  # "the rival club", "a Premier League club": only a name ending with the noun is safe
    named = {m[3] for m in ix.speaker_spans(sent[:frame.speaker_start]) if org(m[3])} if sent else set()
    if len(named) == 1:
        return next(iter(named))
    if named:
        return None
    for name, _side, _said in reversed(ctx.recent):
        if org(name):
            return name
        if name in ix.side:
            break  # a person or a group spoke last: "the club" is not them, and no older speaker is safe
    return None


def _media_speaker(text: str, ctx: "_Context"):
    """(speaker, side, known) for a speaker the story does not list: anonymous sources are credited to
    the article's outlet (their words stay in ``speaker_text``); an outlet or agency ("The Daily Ledger",
    "Reuters", "the newspaper") keeps its name; both get the story's ``media`` side when it has one.
    Anyone else keeps the article's words, side null.

    Example:
        >>> from helpers.story import Story
        >>> story = Story.model_validate({"name": "x", "proposition": {"text": "A met B."},
        ...     "sides": [{"id": "press", "kind": "media", "speakers": [{"name": "The Bugle"}]}]})
        >>> class C: media_side, outlet, ix = "press", "Daily Ledger", story.index
        >>> _media_speaker("three people familiar with the matter", C()), _media_speaker("Reuters", C())
        (('Daily Ledger', 'press', False), ('Reuters', 'press', False))
        >>> _media_speaker("local farmers", C())
        ('local farmers', None, False)
    """
    hit = ctx.ix.speaker_spans(text)
    if hit and len(hit) == 1 and text[:hit[0][0]].strip().lower() in ("", "the") \
            and hit[0][1] >= len(text.rstrip(" ,.")):
        return hit[0][3], hit[0][4], True  # "The Marquee Sheet" for the story's "Marquee Sheet"
    if _ANON.search(text):
        return _outlet_speaker(ctx.outlet or "anonymous sources", ctx)
    if is_outlet(text) or ctx.outlet and text.lower().removeprefix("the ").strip() == str(ctx.outlet).lower():
        name = text[4:] if text.lower().startswith("the ") and text[4:5].isupper() else text
        return _outlet_speaker(name, ctx)
    return text, None, False


def _outlet_speaker(name: str, ctx: "_Context"):
    """(speaker, side, known) for an outlet: the story's own speaker (and side) when the story lists it
    ("Gridline" on a side of reporters), else the name on the story's media side (or none)."""
    hit = ctx.ix.speaker_spans(name)
    if hit and hit[0][0] <= 4 and hit[-1][1] >= len(name) - 1:
        return hit[-1][3], hit[-1][4], True
    return name, ctx.media_side, False


_BYLINE_HINT = re.compile(r"\bBy\s+[A-Z]|\||[–—]|^[^a-z]{4,}$|\((?:[A-Z][\w.&'’-]*\s*){1,5}\)")
_AGENCY = re.compile(r"\(((?:[A-Z][\w.&'’-]*\s*){1,5})\)\s*[-–—]")


def byline_outlet(body: str, ix) -> str | None:
    r"""The article's outlet as its first lines name it, when the page metadata did not: a story speaker
    or an outlet-like name in a short byline or dateline line ("By Theo Marrin, Gridline", "THE BRAZIER |
    Investigations", "PORT AVERLY, June 9 (Continental Press Service) -").

    Example:
        >>> from helpers.story import Story
        >>> s = Story.model_validate({"name": "x", "title": "X", "proposition": {"text": "A met B."},
        ...     "sides": [{"id": "p", "label": "P", "speakers": [{"name": "Gridline", "aliases": ["Gridline"]}]}]})
        >>> byline_outlet("By Theo Marrin, Gridline\nHackers broke in.", s.index)
        'Gridline'
        >>> byline_outlet("LONDON, June 9 (Harbour Press Service) - Shares fell.", s.index)
        'Harbour Press Service'
    """
    lines = [ln.strip() for ln in body.split("\n") if ln.strip()][:6]
    for ln in lines:
        am = _AGENCY.search(ln)
        if am and len(ln) > 0 and am.start() < 80:
            return am.group(1).strip()
        if len(ln) > 100 or not _BYLINE_HINT.search(ln):
            continue
        for probe in (ln, ln.title()):
            found = ix.speaker_spans(probe)
            if found:
                return found[-1][3]
        for part in re.split(r"[|,–—]", ln):
            part = part.strip()
            if part and not part.lower().startswith("by ") and is_outlet(part) and len(part.split()) <= 5:
                return part
    return None


def is_outlet(text: str) -> bool:
    """Does a speaker phrase name an outlet or news agency (a word of ``lexicon/outlet_words.txt`` as
    its head: "The Daily Ledger", "the newspaper", "Reuters", "state broadcaster KRT")?

    Example:
        >>> is_outlet("The Daily Ledger"), is_outlet("the newspaper"), is_outlet("the minister")
        (True, True, False)
    """
    words = _WORD.findall(text.lower())
    if not words:
        return False
    return words[-1] in _OUTLET_WORDS or any(w in _OUTLET_WORDS for w in words[:-1]) and text[:1].isupper() \
        or " ".join(words) in _OUTLET_WORDS


_OUTLET_WORDS = frozenset(lexicon.phrases("outlet_words"))
_ANON_COUNT = r"(?:one|two|three|four|five|several|some|many|a|an)\s+"  # "two sources", "a person"
_ANON_PHRASE = re.compile(r"(?:\b" + _ANON_COUNT + ")?(?:" + "|".join(
    r"\s+".join(map(re.escape, p.split())) for p in sorted(lexicon.phrases("anonymous_sources"), key=len, reverse=True))
    + r")\b(?:\s+(?:with|on|to|of)\s+[\w\s’'-]{1,40}?(?=\s+(?:said|say|says)\b|[,.]))?", I)
_ANON_COUNT_START = re.compile("^" + _ANON_COUNT, I)
_ANON = re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, p.split()))
                                        for p in sorted(lexicon.phrases("anonymous_sources"), key=len, reverse=True))
                   + r")\b", I)


# ------------------------------------------------------------------------------------------ main
def _na(x) -> bool:
    return x is None or (isinstance(x, float) and x != x) or x is pd.NaT or (not isinstance(x, str) and pd.isna(x))


def extract_mentions(article: dict, story: Story) -> list[dict]:
    """Every attributed statement of ``article`` (a row of the ``articles`` table, as a dict), as
    ``mentions`` rows (all columns but ``event_id``). Pure: no I/O, no model, no per-article setup.

    Example:
        >>> import pandas as pd
        >>> from helpers.story import load_story
        >>> from helpers.paths import REAL_STORY
        >>> art = {"doc_id": "x", "title": None, "published_at": None, "published_precision": "unknown",
        ...        "body": "“There is no dialogue,” the Cuban president said.\\n- Trump says talks are on"}
        >>> [(r["speaker"], r["stance"], r["quote"], r["time_basis"]) for r in extract_mentions(art, load_story(REAL_STORY))]
        [('Miguel Díaz-Canel', 'denial', 'There is no dialogue,', 'unknown')]
    """
    doc_id = str(article.get("doc_id"))
    pub = article.get("published_at")
    pub = None if _na(pub) else pd.Timestamp(pub)
    precision = article.get("published_precision") or "unknown"
    tz = article.get("published_tz")
    tz = None if _na(tz) else tz
    ctx = _Context(story)
    ctx.at = reltime.anchor(pub, precision, tz)
    outlet = article.get("outlet")
    ctx.outlet = None if _na(outlet) or not str(outlet).strip() else str(outlet).strip()
    texts = {f: str(article.get(f)) for f in ("title", "body")
             if not _na(article.get(f)) and str(article.get(f)).strip()}
    if ctx.outlet is None and "body" in texts:
        ctx.outlet = byline_outlet(texts["body"], ctx.ix)
    matches = {f: ctx.ix.speaker_spans(t) for f, t in texts.items()}  # one alias pass per field
    if "body" in texts:
        ctx.learn_genders(texts["body"], matches["body"])
    rows: list[dict] = []
    for fname, text in texts.items():
        spans = [(0, len(text.rstrip()))] if fname == "title" else split_sentences(text)
        prev_quote_speaker = None
        field_matches = matches[fname]
        starts = [m[0] for m in field_matches]
        for s, e in _capped(spans):
            sent = text[s:e]
            on_topic = ctx.prop.relevance(sent).on_topic
            if not _examined(sent):
                prev_quote_speaker = None
                rows += _narration(sent, s, fname, doc_id, ctx, pub, precision)
                ctx.on_topic = ctx.on_topic or on_topic
                continue
            # the aliases inside the sentence, relative to it (matches are in order: bisect on starts)
            aliases = tuple((m[0] - s, m[1] - s, m[2], m[3], m[4])
                            for m in field_matches[bisect_left(starts, s):bisect_left(starts, e)] if m[1] <= e)
            frames, facts = _sentence_frames(sent, ctx.ix, fname == "title", aliases)
            if not frames and prev_quote_speaker and _QUOTE_OPENS.match(sent) and _QUOTE_CLOSES.search(sent):
                spk = prev_quote_speaker
                frames = (Frame(0, 0, 0, 0, spk["speaker_text"], "continued", (0, len(sent)), zone=(0, 0),
                                quote=sent.strip().strip("“”\"").strip(), extra={"alias": None, "resolved": spk}),)
                facts = _frame_facts(frames, sent)
            new = _mentions_for(frames, facts, sent, s, fname, doc_id, ctx, pub, precision)
            if not frames:
                new = _narration(sent, s, fname, doc_id, ctx, pub, precision)
            ctx.on_topic = ctx.on_topic or on_topic
            rows += new
            quoted = [m for m in new if m["quote"]]
            prev_quote_speaker = quoted[-1] if quoted else None
    return rows


#: Sentences longer than this (characters) are cut into pieces of at most this length before the
#: statement finders see them: a page with no sentence breaks costs time linear in its length.
MAX_SENTENCE = 1500


def _capped(spans):
    """Sentence spans, each cut into pieces of at most ``MAX_SENTENCE`` characters (at a space).

    Example:
        >>> [e - s for s, e in _capped([(0, 4000)])]
        [1500, 1500, 1000]
    """
    for s, e in spans:
        while e - s > MAX_SENTENCE:
            yield s, s + MAX_SENTENCE
            s += MAX_SENTENCE
        yield s, e


_SOURCE_TAIL = re.compile(r"\s*(?::|\s[–—-]|,\s+(?:says?|claims?|reports?))\s+((?:[A-Z][\w.&’'-]*\s*){1,4})\s*$")


def _narration(sent, offset, fname, doc_id, ctx, pub, precision) -> list[dict]:
    """A statement no frame attributes: the article's own words. A headline or a sentence that denies
    the proposition, or asserts it with a reporting word ("reportedly", "according to reports"), is
    credited to the article's outlet (or the source a headline ends with: "...: Ledger"), on the
    story's media side; its time is the publication. Plain narration in the body (no reporting word)
    is background, not a statement, and gives nothing."""
    is_title = fname == "title"
    if _LIST_ITEM.match(sent):
        return []  # list items (tickers, "Read more" lists) are page furniture, never statements
    rel = ctx.prop.relevance(sent)
    if not (rel.any or rel.weak or rel.participants) and not (ctx.on_topic and _may_deny(sent)):
        return []  # nothing of the proposition and no denial word: the judge would say "other" (speed)
    res = ctx.judge.judge(sent, ctx.prop, _judge_context(ctx.on_topic, is_title))
    if res.label == "other" or res.rule == "narration" and not is_title:
        return []
    speaker, words = ctx.outlet or "(the article)", "(the article)"
    side = ctx.media_side
    anon = _ANON_PHRASE.search(sent)
    if anon is not None:
        words = anon.group(0)  # "two people briefed on the talks said": the outlet's sources
    if is_title:
        sm = _SOURCE_TAIL.search(sent)
        if sm and sm.start() > 0:
            words = sm.group(1).strip()
            speaker = words
    if speaker != "(the article)":
        speaker, side, _ = _outlet_speaker(speaker, ctx)
    said_from, said_to, basis = _article_time(pub, precision, ctx.at)
    ctx.on_topic = True
    return [dict(
        mention_id=f"{doc_id}:{fname}:{offset}", doc_id=doc_id, field=fname, speaker=speaker, speaker_text=words,
        side=side, stance=res.label, text=sent, quote=None, cue=res.cue or sent[:40], rule=res.rule or None,
        start=offset, end=offset + len(sent), said_from=said_from, said_to=said_to,
        time_basis=basis, time_cue="the article itself" if not _na(said_to) else None,
        after_mention_id=None, lag_max=None)]


@lru_cache(maxsize=None)
def _judge_context(on_topic: bool, headline: bool, attributed: bool = False) -> judges.Context:
    """The judges' :class:`helpers.judges.Context`: one shared instance per combination (eight at most)."""
    return judges.Context(on_topic=on_topic, headline=headline, attributed=attributed)


def _article_time(pub, precision, at):
    """(said_from, said_to, basis) of what the article says itself: its publication (the whole day when
    only the day is known). ``at``: the article's :func:`helpers.reltime.anchor`."""
    tr = reltime.resolve_at("", at)
    said_to = tr.said_to
    said_from = pub if precision in ("second", "minute", "hour") else (
        said_to - pd.Timedelta(days=1) if not _na(said_to) else None)
    return said_from, said_to, tr.basis


#: "The Brazier can reveal", "Gridline has learned": the article reporting itself.
_SELF_REPORT = re.compile(r"\b(?:can\s+(?:now\s+)?(?:reveal|report|disclose|confirm)|has\s+learn(?:ed|t)|have\s+learn(?:ed|t)|"
                          r"understands|has\s+established|has\s+seen)\b", I)


_DENIAL_GATE = lexicon.gate("denial_verbs") | lexicon.gate("falsity") | frozenset(["nothing", "never", "no"])


def _may_deny(sent: str) -> bool:
    """Could the sentence deny by context alone (a denial verb, a falsity word, "nothing of the sort")?"""
    return not _DENIAL_GATE.isdisjoint(_WORD.findall(sent.lower()))


_QUOTE_OPENS = re.compile(r"\s*[“\"]")
_QUOTE_CLOSES = re.compile(r"[”\"]\s*$")


@lru_cache(maxsize=16384)
def _examined(sent: str) -> bool:
    """Is the sentence worth examining: not a list item, and :func:`_prefilter` passes (memoised)."""
    return not _LIST_ITEM.match(sent) and _prefilter(sent)


@lru_cache(maxsize=16384)
def _sentence_frames(sent: str, ix, is_title: bool, aliases: tuple) -> tuple[tuple[Frame, ...], tuple]:
    """:func:`find_frames` and :func:`_frame_facts` of a sentence, memoised on all their inputs: news
    repeats sentences (wire copy, stock quotes), and none of this depends on the rest of the article.
    ``aliases``: the sentence's speaker_spans tuples. The frames are shared between calls: never modify them."""
    frames = tuple(find_frames(sent, ix, is_title=is_title, aliases=[SpeakerMatch(*a) for a in aliases]))
    return frames, _frame_facts(frames, sent)


def _frame_facts(frames, sent: str) -> tuple:
    """What each frame's mention needs from the sentence alone: (stance text, content, quote, time
    zone text, index of the frame linked by a connector or None, the connector's cue)."""
    facts = []
    for k, f in enumerate(frames):
        stance_text, content = _stance_text(f, k, frames, sent)
        c0, c1 = f.content
        quote = f.quote
        if quote is None:
            qs = [sent[a + 1:b - 1].strip() for a, b in _quote_spans(sent) if c0 <= a and b <= c1]
            quote = " … ".join(q for q in qs if q) or None
        if f.kind in ("active", "headline") and k > 0:
            zone = sent[f.speaker_start:f.zone[1]]
        else:
            zone = sent[f.zone[0]:f.zone[1]]
        # "X dismissed ..., hours after Y claimed ...": X came after the next frame's statement
        target, ccue = None, None
        if k + 1 < len(frames) and frames[k + 1].speaker_start > f.verb_end:
            gap = sent[f.verb_end:frames[k + 1].speaker_start]
            cm = _CONNECTOR.search(gap, max(0, len(gap) - 60))
            if cm:
                target, ccue = k + 1, _SPACES.sub(" ", cm.group("cue").strip())
        facts.append((stance_text, content, quote, zone, target, ccue))
    return tuple(facts)


_SPACES = re.compile(r"\s+")


def _stance_text(f: Frame, k: int, frames, sent: str) -> tuple[str, str]:
    """(text to judge, content only) for a frame: the verb and what was said (a quote, a clause), plus
    the antecedent for relative clauses ("negotiations that Drevania says do not exist")."""
    c0, c1 = f.content
    if f.kind in ("quote_first", "inverted", "continued", "according"):
        return sent[c0:c1], sent[c0:c1]
    if f.kind == "passive":
        return sent[f.verb_start:f.verb_end] + " " + sent[c0:c1], sent[c0:c1]
    semi = sent.find(";", f.verb_end, c1)
    if semi != -1:  # "X reported that ...; Y denied it": a semicolon ends what X said
        c1 = semi
    content = sent[f.verb_end:c1]
    text = sent[f.aux_start:f.verb_end] + content
    no_subject = not _ANY_WORD.search(content) or _VERB_FIRST.match(content)
    # "..., a claim that the minister denied on Friday": the statement's object is the antecedent
    object_relative = _REPORT_THAT.search(sent, max(0, f.speaker_start - 40), f.speaker_start) is not None
    # "One patient does not make an outbreak, Voskuijl said, adding ...": what was said comes before
    said_before = sent[max(0, f.speaker_start - 3):f.speaker_start].strip().endswith(",") and \
        _NOT_CONTENT.match(content) is not None
    if (no_subject or object_relative or said_before) and \
            _REL_BEFORE.search(sent, max(0, f.speaker_start - 12), f.speaker_start):
        ante_start = frames[k - 1].content[0] if k > 0 else 0
        if _PAREN_AFTER.match(content):  # "The talks, Olsen said, were going well": one clause around the verb
            text = sent[ante_start:f.speaker_start] + content + " (" + sent[f.aux_start:f.verb_end].strip() + ")"
        else:
            text = text + " " + sent[ante_start:f.speaker_start]
    return text, content


_ANY_WORD = re.compile(r"\w")
#: After "X said": no reported content, only punctuation, a participle or a time/place phrase.
_NOT_CONTENT = re.compile(r"\s*(?:[,.;:!?]|$|(?:on|in|at|to|during|after|before|when|while|as|late|earlier|later|"
                          r"yesterday|today|last|this|by|from|adding|saying|noting|according)\b)", I)
_REPORT_THAT = re.compile(r"\b(?:" + lexicon.nouns("report_nouns", "asserting") + r")\s+(?:that|which)\s+[^,;:]{0,30}$", I)
_PAREN_AFTER = re.compile(r"\s*,")
_VERB_FIRST = re.compile(r"[\s,]*(?:do|does|did|is|are|was|were|has|have|had|not|never|can|could|will|would|should|"
                         r"must|may|might|exists?|existed)\b", I)
_PARTIES = re.compile(r"\b(?:between|with)\s+((?:(?!\b(?:had|has|have|were|was|are|is|over|on|about|in|to|and\s+that|"
                      r"but|which|who)\b)[^,.;:“”\"])+)", I)
_CAPITAL_WORD = re.compile(r"\b[A-Z]")
_PARTY_OK = re.compile(r"\b(?:two|both|sides?|each|other|countries|governments|neighbou?rs|parties|us|them|you|we|they|"
                       r"anyone|anybody|nobody|everyone|him|her|it)\b", I)


@lru_cache(maxsize=4096)
def _parties_elsewhere(text: str, ix) -> bool:
    """True when the text's talks are between parties foreign to the story ("talks between the rail
    operator and the drivers' union"): a "between/with" phrase right after a topic word naming no story
    speaker, no capitalised name and no "two sides"-like words. Memoised (pure)."""
    topic = ix.topic
    for tm in topic.finditer(text):
        pm = _PARTIES.match(text, tm.end() + (len(text[tm.end():]) - len(text[tm.end():].lstrip())))
        if not pm:
            continue
        phrase = pm.group(1)
        if ix.speaker_spans(phrase) or _CAPITAL_WORD.search(phrase) or _PARTY_OK.search(phrase):
            return False
        return True
    return False


def _mentions_for(frames, facts, sent, offset, fname, doc_id, ctx, pub, precision):
    out: list[dict | None] = []
    rel: list[tuple] = []  # (k, reltime result, connector target or None, connector cue)
    ix = ctx.ix
    for k, f in enumerate(frames):
        stance_text, content, quote, zone, target, ccue = facts[k]
        if f.kind == "continued":
            spk = f.extra["resolved"]
            speaker, side, known = spk["speaker"], spk["side"], spk["speaker"] in ix.side
        else:
            speaker, side, known = _resolve_speaker(f, ix, ctx, sent)
        ctx.note(speaker, side, f.speaker_text, known)
        res = ctx.judge.judge(stance_text, ctx.prop, _judge_context(ctx.on_topic, fname == "title", True))
        if res.label != "other" and ctx.prop_terms and _parties_elsewhere(stance_text, ix):
            res = judges.Judgement("other", "", 0, 0, "parties elsewhere")
        if res.label == "other" and not known:
            out.append(None)
            continue
        if res.label != "other":
            ctx.on_topic = True
        tr = reltime.resolve_at(zone, ctx.at)
        self_report = f.kind in ("active", "inverted") and (
            _SELF_REPORT.search(sent, max(0, f.verb_start - 12), f.verb_end + 12) is not None
            or ctx.outlet is not None and speaker == ctx.outlet)
        if self_report and tr.basis in ("published", "unknown") and not _na(pub):
            a_from, a_to, _ = _article_time(pub, precision, ctx.at)
            tr = dataclasses.replace(tr, said_from=a_from, said_to=a_to, cue="the article itself")
        row = dict(
            mention_id=f"{doc_id}:{fname}:{offset}", doc_id=doc_id, field=fname, speaker=speaker,
            speaker_text=f.speaker_text, side=side, stance=res.label, text=sent, quote=quote,
            cue=res.cue or sent[f.verb_start:f.verb_end] or (quote or "")[:40], rule=res.rule or None,
            start=offset, end=offset + len(sent), said_from=tr.said_from, said_to=tr.said_to,
            time_basis=tr.basis, time_cue=tr.cue, after_mention_id=None, lag_max=None,
        )
        out.append(row)
        rel.append((k, tr, target, ccue))
    # ids: the first mention of a sentence is <doc>:<field>:<start>, later ones get "#2", "#3" ...
    kept = [r for r in out if r is not None]
    for n, row in enumerate(kept[1:], start=2):
        row["mention_id"] += f"#{n}"
    for k, tr, target, ccue in rel:
        row = out[k]
        if target is not None and out[target] is not None:
            lag = _lag_of(ccue)
            _link(row, out[target], lag, ccue)
        elif tr.relation == "after":
            # "Hours later, X rejected ...": after the latest earlier statement of the opposite stance
            want = {"denial": "claim", "claim": "denial"}.get(row["stance"])
            earlier = ctx.mentions + [r for r in out[:k] if r is not None]
            prev = next((m for m in reversed(earlier) if want and m["stance"] == want), None) if want else None
            if prev is not None:
                _link(row, prev, tr.lag_max, tr.relation_cue)
    ctx.mentions.extend(kept)
    return kept


def _link(later: dict, first: dict, lag, cue: str | None) -> None:
    """``later`` was said after ``first``, by at most ``lag`` (None: unbounded): record the link and
    narrow both intervals accordingly (first <= later <= first + lag)."""
    later["after_mention_id"] = first["mention_id"]
    later["lag_max"] = lag
    # first came no later than later's end, and no earlier than later's start minus the lag
    _narrow(first, hi=later["said_to"], lo=None if lag is None or _na(later["said_from"]) else later["said_from"] - lag,
            cue=cue)
    # later came no earlier than first's start, and no later than first's end plus the lag
    _narrow(later, lo=first["said_from"], hi=None if lag is None or _na(first["said_to"]) else first["said_to"] + lag,
            cue=cue)


def _narrow(row: dict, lo=None, hi=None, cue=None) -> None:
    changed = False
    if not _na(hi) and (_na(row["said_to"]) or hi < row["said_to"]):
        row["said_to"], changed = hi, True
    if not _na(lo) and (_na(row["said_from"]) or lo > row["said_from"]):
        if _na(row["said_to"]) or lo <= row["said_to"]:
            row["said_from"], changed = lo, True
    if changed and row["time_basis"] in ("published", "unknown"):
        row["time_basis"] = "relative"
        if cue and not row["time_cue"]:
            row["time_cue"] = cue


def _lag_of(cue: str | None):
    """Lag bound of a connector such as "hours after" (None for a bare "after")."""
    if not cue:
        return None
    return reltime.resolve(_FOLLOWING.sub("after", cue), None, "unknown").lag_max


_FOLLOWING = re.compile(r"(?i)following")
