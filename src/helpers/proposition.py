"""The story's proposition as a small model: who (participants), what (predicate) and how to find it.

A story states its proposition once, as one plain sentence ("The two ministers had dinner together.",
"Acme will launch a phone in March.", "The United States and Cuba are holding talks."). From it,
:func:`parse` derives, with no word list about any story:

- ``participants``: the names and noun phrases of the subject ("The United States and Cuba" -> two),
  plus capitalised names later in the sentence ("... a deal with Globex");
- ``predicate``: the lemmas of the predicate's content words (the main verb and its object nouns);
  ``head`` is the main event word: the verb, or its object when the verb is a light one ("had dinner":
  dinner, "are holding talks": talks);
- ``forms``: every inflection of each lemma (``lemminflect``), plus the words that share a synonym group
  with it (``lexicon/synonyms.txt``: talks ~ negotiations, dinner ~ dined), the nouns that name a verb's
  event, singular (``lexicon/derivations.txt`` and regular suffixes: sold ~ sale, approved ~ approval;
  not the other way: a verb of an event noun added false denials on FNC-1's dev half) and derivations that share a six-letter stem (negotiate ~ negotiations);
- ``tense``: past, present or future (from the auxiliary).

:meth:`Proposition.relevance` says how much of the proposition a text mentions; the stance judges
use it (a claim must assert the proposition's event about its participants; a denial must be about
it, directly or through its context).

Example:
    >>> p = parse("The two ministers had dinner together on Thursday.")
    >>> p.head, p.predicate, [x.label for x in p.participants]
    ('dinner', ('dinner',), ['ministers'])
    >>> r = p.relevance("Both ministers dined at the embassy.")
    >>> r.head, r.participants, r.on_topic
    (True, ('ministers',), True)
    >>> p.relevance("The ministers flew home.").on_topic
    False
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache

from . import lexicon

__all__ = ["Proposition", "Participant", "Relevance", "parse"]

_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9][\wÀ-ÿ'’.-]*")
_AUX = {"is": "present", "are": "present", "am": "present", "was": "past", "were": "past", "has": "past",
        "have": "past", "had": "past", "did": "past", "does": "present", "do": "present", "will": "future",
        "would": "future", "shall": "future", "can": "present", "could": "future", "may": "future",
        "might": "future", "be": "present", "been": "past", "being": "present", "'s": "present", "’s": "present"}
#: Verbs that carry no event of their own: the event is their object ("held talks", "had dinner").
_LIGHT = frozenset("have hold take make give do get be conduct carry keep go agree reach sign strike seal conclude "
                   "suffer face undergo experience receive accept "
                   "secure announce".split())
_EMPTY = frozenset("have hold take make give do get be carry keep go".split())
_STOP = frozenset("""a an the and or but of to in on at for with by from as into over about than then so such
very also only just still that this these those it its their his her they them he she we our you your i
there here not no together secretly secret reportedly allegedly each other one another two three both
all any some more most much many own million billion thousand hundred percent per cent""".split())
_VERB_PARTICLES = frozenset("down up off out away back over into".split())
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may june "
                  "july august september october november december week month year today yesterday".split())
_PARTICLES = frozenset("de van von da del der bin al la le di du dos das".split())


@dataclass(frozen=True)
class Participant:
    """Who the proposition is about: ``label`` (as written) and the ``words`` that name it in a text
    (case-sensitive for names, any case for common nouns)."""

    label: str
    words: tuple[str, ...]
    name: bool


@dataclass(frozen=True)
class Relevance:
    """How much of the proposition a text mentions.

    ``head``: a main event word (the head or another verb of the predicate, or a form, synonym,
    derivation of one); ``predicate``: the predicate
    lemmas found; ``participants``: labels of participants found; ``terms``: the story's extra topic
    terms found; ``span``: (start, end) of the first proposition word found; ``on_topic``: the rule
    below says the text is about the proposition.
    """

    head: bool
    predicate: tuple[str, ...]
    participants: tuple[str, ...]
    terms: tuple[str, ...]
    span: tuple[int, int] | None

    @property
    def on_topic(self) -> bool:
        """On topic: a story topic term; or the head with a participant or another predicate word;
        or a predicate word and two participants; or two predicate words and a participant."""
        if self.terms:
            return True
        if self.head and (self.participants or len(self.predicate) >= 2):
            return True
        return bool(self.predicate) and len(self.participants) >= 2 or len(self.predicate) >= 2 and bool(self.participants)

    @property
    def any(self) -> bool:
        """Any word of the predicate or a topic term is there."""
        return bool(self.predicate or self.terms)

    @property
    def weak(self) -> bool:
        """Something of the proposition is there (its head or a topic term): enough with context."""
        return self.head or bool(self.terms)


@dataclass(frozen=True)
class Proposition:
    """A parsed proposition; build it with :func:`parse`."""

    text: str
    participants: tuple[Participant, ...]
    predicate: tuple[str, ...]
    head: str
    tense: str
    events: tuple[str, ...]  # the head and every other verb of the predicate ("broke into ... and stole")
    terms: tuple[str, ...]
    forms: tuple[tuple[str, tuple[str, ...]], ...]  # lemma -> words that count as it

    def __hash__(self) -> int:
        """The fields' hash, computed once: a proposition is the key of every memoised relevance and
        judgement (re-hashing its nested tuples on each lookup cost ~5% of extraction)."""
        h = self.__dict__.get("_hash")
        if h is None:
            h = hash(tuple(getattr(self, f.name) for f in fields(self)))
            object.__setattr__(self, "_hash", h)
        return h

    def __getstate__(self) -> dict:
        """Pickled without the stored hash (string hashes differ between processes)."""
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    @property
    def verbs(self) -> frozenset[str]:
        """Every word form of the predicate (its synonyms and derivations included)."""
        return frozenset(w for _, ws in self.forms for w in ws)

    @cached_property
    def nominals(self) -> frozenset[str]:
        """The nouns derived from the predicate's verbs ("sale" of "sold"): the event named, not asserted;
        only "no sale" negates it ("did not oppose the sale" does not)."""
        return frozenset(w for lem, ws in self.forms for w in _derived_nouns(lem) if w in ws)

    def relevance(self, text: str) -> Relevance:
        """What of the proposition ``text`` mentions (see :class:`Relevance`).

        Example:
            >>> p = parse("Acme inflated its revenue.")
            >>> p.relevance("The auditor accused Acme of inflating its revenue.").on_topic
            True
        """
        return _relevance(self, text or "")

    def negated(self, text: str) -> re.Match | None:
        """The proposition's head or predicate negated in ``text``: "no dinner", "never visited",
        "did not have dinner", "isn't dead" (a negation at most three words before it).

        Example:
            >>> parse("The two ministers had dinner together.").negated("No dinner ever took place.").group(0)
            'No dinner'
        """
        return _negated_pattern(self).search(text or "")


def parse(text: str, topic_terms=()) -> Proposition:
    """Parse a proposition sentence (and optional extra topic terms) into a :class:`Proposition`.

    Example:
        >>> p = parse("Acme and Globex are holding merger talks.")
        >>> [x.label for x in p.participants], p.head, p.tense
        (['Acme', 'Globex'], 'talk', 'present')
        >>> "negotiations" in p.verbs
        True
    """
    return _parse(" ".join(str(text).split()), tuple(t.strip() for t in topic_terms if t and t.strip()))


@lru_cache(maxsize=64)
def _parse(text: str, terms: tuple[str, ...]) -> Proposition:
    toks = [(m.group(0).rstrip(".'’"), m.start()) for m in _WORD.finditer(text)]
    toks = [(w, s) for w, s in toks if w]
    if _title_case(toks):
        toks = [(w if k == 0 and not _known(w.lower()) else _uncap(w), s) for k, (w, s) in enumerate(toks)]
    split, tense, verb_i = _find_verb(toks)
    subject = toks[:split]
    rest = toks[split:]
    participants = list(_subject_participants(subject))
    # an event as the subject ("An outbreak of ... hit the unit", "A fire destroyed ..."): the subject's
    # first noun, when the synonym lists know it as an event, is the proposition's head
    subject_event = next((w.lower() for w, _ in subject if w[:1].islower() and w.lower() not in _STOP
                          and _event_noun(w.lower())), None)
    # capitalised names after the verb ("a deal with Globex", "Led Zeppelin reunion")
    seen = {p.label for p in participants}
    for name in [*_names(subject[1:]), *_names(rest[1:] if rest else [])]:  # names inside the subject too
        if any(name in p.label or p.label in name for p in participants if p.name):
            continue
        if name not in seen and name.lower() not in _DAYS:
            participants.append(Participant(name, _name_words(name), True))
            seen.add(name)
    lemmas: list[str] = []
    head = main = ""
    head_open, last_k = False, -2
    verbs: list[tuple[str, str]] = []
    for k, (w, _) in enumerate(rest):
        low = w.lower()
        if low in _STOP or low in _AUX or low in _DAYS or not low[0].isalpha() or w[0].isupper() and k > 0:
            continue
        is_verb = k == verb_i - split
        infinitive = k > 0 and rest[k - 1][0].lower() == "to" and _can_be_verb(low)  # "to sign"
        lem = _lemma(low, verb=is_verb or infinitive or _verb_form(low))
        if is_verb or infinitive or _verb_form(low):
            verbs.append((lem, not is_verb))  # (lemma, may be an event even if light: "to sign")
        if is_verb and k + 1 < len(rest) and rest[k + 1][0].lower() in _VERB_PARTICLES:
            lem = lem + " " + rest[k + 1][0].lower()  # a phrasal verb: "turned down"
        if is_verb:
            main = lem
        elif k > 0 and low in _VERB_PARTICLES and (rest[k - 1][0].lower(), verb_i - split) and k - 1 == verb_i - split:
            continue
        if is_verb and lem in _LIGHT:
            if lem in _EMPTY:
                continue
            lemmas.append(lem)  # "agreed a ceasefire": the event is the object, the verb still counts
            last_k = k
            continue
        lemmas.append(lem)
        if not head:
            head, head_open = lem, not is_verb  # a main verb is the head; a noun run may go on
        elif head_open and k == last_k + 1 and not _is_verb(low):
            head = lem  # the last word of the first run of content words ("merger talks": talks)
        else:
            head_open = False
        last_k = k
    participants = list({p.label: p for p in participants}.values())  # "minister" once, whoever holds it
    if subject_event is not None:
        lem = _lemma(subject_event)
        lemmas.insert(0, lem)
        head = lem
        participants = [p for p in participants if p.label != subject_event]
    if not head and lemmas:
        head = lemmas[0]
    events = tuple(dict.fromkeys([head] + [lem for lem, free in verbs if lem in lemmas and (free or lem not in _LIGHT)]))
    # the nouns of the event verbs and the main verb only ("agreed a deal": agreement), never of a word
    # that describes a participant ("the shipping magnate": no "shipment")
    forms = tuple((lem, _forms(lem, lem in events or lem == main)) for lem in dict.fromkeys(lemmas))
    return Proposition(text, tuple(participants), tuple(dict.fromkeys(lemmas)), head, tense, events, terms, forms)


def _title_case(toks) -> bool:
    """A headline in Title Case: most longer words capitalised."""
    common = [w for w, _ in toks[1:] if len(w) > 3 and w[0].isalpha() and _known(w.lower())]
    return len(common) >= 2 and sum(w[0].isupper() for w in common) >= 0.7 * len(common)


@lru_cache(maxsize=4096)
def _known(word: str) -> bool:
    """Is ``word`` a common English word (lemminflect knows it)? Names are not."""
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word.split("'")[0].split("’")[0]))


def _uncap(word: str) -> str:
    """Title Case undone for common words ("Adopts" -> "adopts"); names and acronyms stay."""
    if word.lower() in _STOP or word.lower() in _AUX:
        return word.lower()
    if word.isupper() and len(word) > 1 or not _known(word.lower()):
        return word
    return word.lower()


def _find_verb(toks) -> tuple[int, str, int]:
    """(index where the predicate starts, tense, index of the main verb)."""
    for i, (w, _) in enumerate(toks):
        low = w.lower()
        if i and low in _AUX:
            j = i + 1
            while j < len(toks) and (toks[j][0].lower() in _AUX or toks[j][0].lower().endswith("ly")
                                     or toks[j][0].lower() in ("not", "never", "also", "already", "reportedly")):
                j += 1
            return i, _AUX[low], j
    for i, (w, _) in enumerate(toks):
        if i and w[:1].islower() and _is_verb(w.lower()):
            return i, "past" if w.lower().endswith("ed") or _is_past(w.lower()) else "present", i
    # a word that can be a verb, followed by a determiner or a name ("An outbreak ... hit the unit")
    for i, (w, _) in enumerate(toks[:-1]):
        nxt = toks[i + 1][0]
        if i and w[:1].islower() and _can_be_verb(w.lower()) and (nxt.lower() in _DETERMINERS or nxt[:1].isupper()):
            return i, "past" if _is_past(w.lower()) else "present", i
    return min(1, len(toks)), "present", min(1, len(toks))


_DETERMINERS = frozenset("the a an his her its their this that these those our my your".split())


@lru_cache(maxsize=4096)
def _is_verb(word: str) -> bool:
    from lemminflect import getAllLemmas

    lem = getAllLemmas(word)
    return "VERB" in lem and "NOUN" not in lem or word.endswith("ed") and "VERB" in lem


@lru_cache(maxsize=4096)
def _event_noun(word: str) -> bool:
    """Is ``word`` (or its lemma) in a synonym group (an event the lists know: outbreak, fire, breach ...)?"""
    lem = _lemma(word)
    return any(lem in g or word in g for g in _synonym_groups())


@lru_cache(maxsize=4096)
def _can_be_verb(word: str) -> bool:
    from lemminflect import getAllLemmas

    return "VERB" in getAllLemmas(word)


@lru_cache(maxsize=4096)
def _verb_form(word: str) -> bool:
    """An inflected verb ("stole", "exposed", "hiding"): a VERB lemma other than the word itself."""
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(word)
    verb, noun = lemmas.get("VERB", ()), lemmas.get("NOUN", ())
    return bool(verb) and verb[0] != word and (not noun or noun[0] == word)  # "accounts" is a plural noun


@lru_cache(maxsize=4096)
def _is_past(word: str) -> bool:
    from lemminflect import getAllLemmas, getInflection

    for lem in getAllLemmas(word).get("VERB", ()):
        if word in (getInflection(lem, tag="VBD") or ()):
            return True
    return False


@lru_cache(maxsize=4096)
def _lemma(word: str, verb: bool = False) -> str:
    from lemminflect import getAllLemmas

    lem = getAllLemmas(word)
    for pos in (("VERB", "NOUN", "ADJ") if verb else ("NOUN", "ADJ", "VERB")):
        if lem.get(pos):
            return lem[pos][0].lower()
    return word


def _subject_participants(subject):
    """Participants of the subject: split at "and"/","; each keeps its name or its head noun."""
    raw = " ".join(w for w, _ in subject)
    parts, cur = [], []
    for w, _ in subject:
        if w.lower() in ("and", "&") or w.endswith(","):
            if w.endswith(","):
                cur.append(w.rstrip(","))
            parts.append(cur)
            cur = []
        else:
            cur.append(w)
    parts.append(cur)
    for words in parts:
        words = [w for w in words if w.lower() not in _STOP]
        if not words:
            continue
        caps = [w for w in words if w[0].isupper() or w.lower() in _PARTICLES and len(words) > 1]
        if caps and caps[-1] == words[-1]:
            # leading common words are a title ("Foreign Minister Ada Rusk"): the name is the rest
            k = 0
            if any(not _known(w.lower()) for w in caps):
                while k < len(caps) - 1 and _known(caps[k].lower()):
                    k += 1
            title = [w.lower() for w in caps[:k]]
            label = " ".join(caps[k:])
            yield Participant(label, _name_words(label), True)
            role = [w.lower() for w in words if not w[0].isupper() and w.lower() not in _PARTICLES] or title
            if role:  # "the singer Maro Tessel", "Foreign Minister Ada Rusk": "the minister" names her too
                head = role[0] if role is title and " of " in raw.lower() else role[-1]
                yield Participant(head, _noun_forms(head), False)
        else:
            head = words[-1].lower()
            yield Participant(head, _noun_forms(head), False)


@lru_cache(maxsize=1024)
def _noun_forms(word: str) -> tuple[str, ...]:
    """A common noun and its singular/plural ("ministers" -> ministers, minister), never verb forms.

    Example:
        >>> _noun_forms("ministers"), _noun_forms("secretary")
        (('ministers', 'minister'), ('secretary', 'secretaries'))
    """
    from lemminflect import getInflection

    lem = _lemma(word)
    forms = [word, lem, *(getInflection(lem, tag="NNS") or ())]
    return tuple(dict.fromkeys(f.lower() for f in forms))


def _names(toks):
    cur: list[str] = []
    for w, _ in toks:
        w = re.sub(r"['’]s$", "", w)  # "Nimbara Cloud's systems": the name is "Nimbara Cloud"
        if w[0].isupper() or cur and w.lower() in _PARTICLES:
            cur.append(w)
        else:
            if cur:
                yield " ".join(cur)
            cur = []
    if cur:
        yield " ".join(cur)


def _name_words(label: str) -> tuple[str, ...]:
    """The words that name a participant: the full name; its last word (a surname) when the name has
    two or three words; any word of four letters or more that is no common English word ("Pribek" of
    "Pribek Dairy"); an acronym ("NASA"). Possessives are matched too.

    Example:
        >>> _name_words("Pribek Dairy"), _name_words("Mara Quill")
        (('Pribek Dairy', 'Pribek', 'Dairy'), ('Mara Quill', 'Mara', 'Quill'))
    """
    words = [w for w in label.split() if w.lower() not in _PARTICLES]
    out = [label]
    if len(words) > 1:
        out += [w for w in words if len(w) >= 4 and not _known(w.lower()) or w.isupper() and len(w) >= 2]
        if len(words) <= 3 and len(words[-1]) >= 3:
            out.append(words[-1])
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _synonym_groups() -> list[frozenset[str]]:
    path = lexicon._DIR / "synonyms.txt"
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            groups.append(frozenset(w.strip().lower() for w in line.split(",") if w.strip()))
    return groups


@lru_cache(maxsize=1024)
def _forms(lemma: str, derive: bool = True) -> tuple[str, ...]:
    """The words that count as ``lemma``: its inflections, its synonym groups' words and their
    inflections, and (``derive``) the nouns that name its event. Multi-word synonyms ("step down") are
    kept as phrases."""
    first, _, rest = lemma.partition(" ")
    words = {(f + " " + rest).strip() for f in lexicon.inflections(first)}
    for g in _synonym_groups():
        if lemma in g or any(w in g for w in list(words)):
            for w in g:
                first, _, rest = w.partition(" ")
                words.update((f + " " + rest).strip() for f in lexicon.inflections(first))
    if derive:
        words.update(_derived_nouns(lemma))
    return tuple(sorted(words))


@lru_cache(maxsize=1024)
def _derived_nouns(lemma: str) -> tuple[str, ...]:
    """The nouns that name a verb's event (``lexicon.derivations``: sell -> sale, approve -> approval),
    singular only: the proposition is one event ("no sale"), while a plural often names something
    else ("sales rose")."""
    from lemminflect import getAllInflections

    return tuple(d for d in lexicon.derivations(lemma) if not getAllInflections(d, upos="VERB"))


def _stem(word: str) -> str:
    """A derivation stem: the first six letters of a word of eight or more ("negotiate" ~ "negotiations")."""
    return word[:6] if len(word) >= 8 else word


@lru_cache(maxsize=64)
def _matchers(prop: Proposition):
    """Compiled regexes: per predicate lemma (forms + six-letter stem derivations), per participant,
    and the story's topic terms."""
    preds = []
    for lem, forms in prop.forms:
        alts = sorted({r"[\s-]+".join(map(re.escape, f.split())) for f in forms}, key=len, reverse=True)
        stems = sorted({re.escape(_stem(f)) + r"\w*(?<!able)(?<!ible)" for f in forms if " " not in f and len(f) >= 8})
        preds.append((lem, re.compile(r"\b(?:" + "|".join(alts + stems) + r")\b", re.I)))
    parts = []
    for p in prop.participants:
        alts = sorted((r"[\s-]+".join(map(re.escape, w.split())) for w in p.words), key=len, reverse=True)
        flags = 0 if p.name else re.I
        parts.append((p.label, re.compile(r"\b(?:" + "|".join(alts) + r")(?:['’]s)?\b", flags)))
    terms = None
    if prop.terms:
        alts = sorted((r"[\s-]+".join(map(re.escape, t.split())) + r"(?:e?s)?" for t in prop.terms), key=len, reverse=True)
        terms = re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.I)
    return preds, parts, terms


_NONE = Relevance(False, (), (), (), None)


@lru_cache(maxsize=64)
def _any_word(prop: Proposition) -> re.Pattern:
    """One regex for every word of the proposition (a fast "nothing here" for most sentences)."""
    preds, parts, terms = _matchers(prop)
    alts = [p.pattern for _, p in preds] + [r"(?i:" + p.pattern + ")" if p.flags & re.I else p.pattern for _, p in parts]
    alts += [terms.pattern] if terms is not None else []
    alts += [_BOTH.pattern]
    return re.compile("|".join("(?:" + a + ")" for a in alts), re.I)


@lru_cache(maxsize=64)
def _gate(prop: Proposition) -> tuple[frozenset, tuple[str, ...]]:
    """(first words of every proposition word, stem prefixes): a text sharing none cannot be relevant."""
    words, stems = set(), set()

    def first(w):
        toks = _TOKENS.findall(w.lower())
        if toks:
            words.update((toks[0], toks[0] + "s", toks[0] + "es"))
    for _, forms in prop.forms:
        for f in forms:
            first(f)
            if " " not in f and len(f) >= 8:
                stems.add(_stem(f))
    for p in prop.participants:
        for w in p.words:
            first(w)
    for t in prop.terms:
        first(t)
    words.update("both two pair couple each one".split())
    return frozenset(words), tuple(sorted(stems))


_TOKENS = re.compile(r"[a-z0-9À-ÿ][\wÀ-ÿ]*")


def _maybe_relevant(prop: Proposition, text: str) -> bool:
    words, stems = _gate(prop)
    low = text.lower()
    toks = _TOKENS.findall(low)
    if not words.isdisjoint(toks):
        return True
    # a word starting with a stem holds it: one substring test per stem before the per-word check
    return any(s in low for s in stems) and any(t.startswith(stems) for t in toks)


@lru_cache(maxsize=16384)
def _relevance(prop: Proposition, text: str) -> Relevance:
    if not _maybe_relevant(prop, text) or _any_word(prop).search(text) is None:
        return _NONE
    preds, parts, terms = _matchers(prop)
    spans = []
    found_pred = []
    head = False
    taken: list[tuple[int, int]] = []
    for lem, pat in preds:
        # a word counts for one predicate lemma only ("leaks" is a synonym of both "break into" and "steal")
        m = next((x for x in pat.finditer(text) if all(x.end() <= a or x.start() >= b for a, b in taken)), None)
        if m:
            found_pred.append(lem)
            spans.append(m.span())
            taken.append(m.span())
            head = head or lem in prop.events
    found_parts = []
    for label, pat in parts:
        m = pat.search(text)
        if m:
            found_parts.append(label)
    if len(parts) >= 2 and len(found_parts) < 2 and _BOTH.search(text):
        found_parts = [label for label, _ in parts]  # "both sides", "the two carmakers", "the couple"
    found_terms = ()
    if terms is not None:
        tm = [m for m in terms.finditer(text)]
        found_terms = tuple(dict.fromkeys(m.group(0).lower() for m in tm))
        spans += [m.span() for m in tm]
        head = head or bool(tm)
    return Relevance(head, tuple(found_pred), tuple(found_parts), found_terms, min(spans) if spans else None)


_BOTH = re.compile(r"\b(?:both\s+(?:sides|parties|companies|firms|men|women|countries|nations|governments|leaders|groups|"
                   r"teams|clubs|camps|families|stars|players|ministers|organi[sz]ations|agencies|brands|"
                   r"makers|carmakers|banks\b(?!\s+of))|the\s+two(?!\s+(?:days|weeks|months|years|hours|minutes|times))\b|the\s+pair|"
                   r"the\s+couple|each\s+other|one\s+another)\b", re.I)
_NEG = r"(?:\bnot|n['’]t|\bnever|\bno|\bnobody|\bnone|\bnothing|\bneither|\bnor|\bno\s+longer|\bwithout)"


@lru_cache(maxsize=64)
def _negated_pattern(prop: Proposition) -> re.Pattern:
    """"not/never/n't ... <head>" (at most three words between), or "no/none of/nothing of <any
    predicate word>" (at most two words between; "no longer" is a verb negation, so head only)."""
    head_words, any_words, nouns = set(), set(), set()
    for lem, forms in prop.forms:
        any_words.update(forms)
        if lem in prop.events or lem in _LIGHT:
            # a derived noun after "no" or "not be a": "did not oppose the sale" does not negate the selling
            nouns.update(set(_derived_nouns(lem)) & set(forms))
            head_words.update(set(forms) - nouns)
    for t in prop.terms:
        head_words.add(t.lower())
        any_words.add(t.lower())
    if not head_words:
        return re.compile(r"(?!x)x")

    def alt(ws):
        return "|".join(sorted((r"[\s-]+".join(map(re.escape, w.split())) for w in ws), key=len, reverse=True))
    gap = r"(?:\s+(?!(?:whether|if)\b)[\w’'-]+){0,3}?"  # "not whether they ate": no negation of eating
    be_a = r"(?:\s+(?:be|been|a|an|any|ever|yet))*"  # "there will not be a sale"
    nominal = _NEG + be_a + r"\s+(?:" + alt(nouns) + r")\b|" if nouns else ""
    return re.compile(nominal + _NEG + gap + r"\s+(?:" + alt(head_words) + r")\b|"
                      r"\b(?:nobody|no\s+one|none)(?:\s+[\w’'-]+){0,5}?\s+(?:" + alt(head_words) + r")\b|"
                      r"\b(?:no|nothing\s+like|none\s+of\s+the)\s+(?!longer\b)(?:(?:single\s+)?(?:sign|signs|trace|"
                      r"traces|evidence|indication|record|proof)\s+of\s+)?(?:[\w’'-]+\s+){0,2}?(?:"
                      + alt(any_words) + r")\b", re.I)
