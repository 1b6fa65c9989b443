"""Duplicates that syndication makes: the same article under a second URL, or a copy whose body differs
a little (a changed first line, another byline, a trailing "Read more").

Three ways two articles are found to be copies, each near-linear in the number of articles:

* ``same_body``: the same normalised body (:func:`body_key`'s hash: case, spaces, quote and dash styles,
  short heading-like lines ignored);
* ``same_url``: the same canonical URL (:func:`canonical_url`: courlan's normalisation, which drops
  tracking parameters and fragments, plus AMP paths, ``www.`` and trailing slashes);
* ``near_body``: MinHash signatures (``datasketch``'s scheme and parameters, kept in ``minhash.json``; 64
  permutations) of the bodies' shingles (32-character windows of the normalised words, about five words)
  put candidate pairs in the same LSH bucket (datasketch's bands for threshold ``LSH_THRESHOLD``, bucketed
  with numpy); a candidate pair is a copy when its estimated Jaccard similarity is at least ``SURE_COPY``, or at least ``MAY_COPY`` and ``MIN_OVERLAP`` of the
  shorter body's shingles are in the other body. Bodies under ``MIN_CHARS`` characters get no signature
  (too short to tell a copy from a shared quote). Not found: a short wire story inside a much longer
  article (Jaccard under ``MAY_COPY``).

Copies are grouped transitively; each copy points to the group's earliest-published article (a date-only
article counts at the end of its day; undated ones come last; ties: the lexically first doc_id).

Example:
    >>> canonical_url("http://www.Example.com/news/story-1/amp/?utm_source=x&id=4#top")
    'https://example.com/news/story-1?id=4'
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

#: MinHash permutations per body; LSH threshold for candidates; shingle overlap that makes a copy.
NUM_PERM = 64
LSH_THRESHOLD = 0.7
MIN_OVERLAP = 0.8
#: Share of equal signature values (estimated Jaccard) from which a candidate pair is a copy without
#: comparing shingles, and under which it is not one (64 values: the estimate's standard error is ~0.06
#: around 0.7). Templated or same-story texts share many phrases: their pairs fall under MAY_COPY.
SURE_COPY = 0.85
MAY_COPY = 0.6
#: LSH weights of false positives and false negatives around the threshold (recall matters more: the
#: candidates are checked anyway).
LSH_WEIGHTS = (0.3, 0.7)
#: datasketch's hashing scheme (fixed: stored signatures must be read back with the one that made them).
SCHEME = "affine32"
#: Characters per shingle (about five words), and the shortest body (in characters) that gets a signature.
SHINGLE = 32
MIN_CHARS = 250
#: ``duplicate_reason`` values.
REASONS = ("same_body", "same_url", "near_body")

_DUP_MAP = {"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "–": "-", "—": "-",
            "\u00a0": " "}
# A regex substitution, not str.translate: translate with a dict table walks every character in Python
# (~0.5 ms for a 3 KB body, measured), the regex only touches the few matches.
_DUP_RE = re.compile("[" + "".join(_DUP_MAP) + "]")
#: What closes a sentence: a paragraph ending so is kept (a str.endswith test, not an end-anchored regex
#: search, which tries every position of the paragraph: ~4x faster on news bodies, measured).
_SENTENCE_ENDS = (".", "!", "?", "…", '"', "”", "’", "'", ")")
_NON_WORD_RE = re.compile(r"[\W_]+")


def _normalise(text: str) -> str:
    return _DUP_RE.sub(lambda m: _DUP_MAP[m.group()], unicodedata.normalize("NFKC", text)).casefold()


def body_key(body: str) -> str:
    """``<sha1 of the normalised body>:<MinHash signature, base64>`` (the signature is empty for short bodies).

    The hash ignores case, whitespace, quote and dash styles and short heading-like lines (<= 8 words, no
    closing punctuation), which syndicated copies often add or drop: identical copies get the same hash.

    Example:
        >>> body_key("Cuba said “no”.").split(":")[0] == body_key('  cuba SAID "no".').split(":")[0]
        True
        >>> body_key("Intro text.\\n\\nWhat comes next\\n\\nMore text.") == body_key("Intro text.\\n\\nMore text.")
        True
    """
    paras = [p.strip() for p in body.split("\n") if p.strip()]
    kept = [p for p in paras if p.endswith(_SENTENCE_ENDS) or len(p.split()) > 8] or paras
    norm = " ".join(_normalise(" ".join(kept)).split())
    sig = _signature(_shingles(norm))
    return hashlib.sha1(norm.encode()).hexdigest() + ":" + (base64.b64encode(sig.tobytes()).decode() if sig is not None else "")


def shingles(text: str) -> np.ndarray:
    """Sorted unique 32-bit hashes of a text's ``SHINGLE``-character windows, one in four kept.

    The text is reduced to its words (normalised as :func:`body_key` does) joined by single spaces, so
    punctuation, quote styles and line breaks do not matter. Stable across processes (a polynomial
    hash computed with numpy over the bytes).

    Example:
        >>> a = shingles("The minister said, on Monday: “there are no talks, and there will be none this year.”")
        >>> b = shingles('the  Minister said on monday\\n"There are NO talks and there will be none this year"')
        >>> len(a) > 5 and a.tolist() == b.tolist()
        True
    """
    return _shingles(_normalise(text))


def _shingles(normalised: str) -> np.ndarray:
    data = _words_only(normalised)
    n = len(data) - SHINGLE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    # window hash sum_j c[i+j] * B**j (mod 2**64) for every i at once: prefix sums of c[k] * B**k, the
    # difference over the window, times B**-i (B is odd, so it has an inverse modulo 2**64)
    powers, inverse = _powers(len(data))
    prefix = np.zeros(len(data) + 1, dtype=np.uint64)
    np.cumsum(np.frombuffer(data, dtype=np.uint8) * powers[:len(data)], dtype=np.uint64, out=prefix[1:])
    h = prefix[SHINGLE:] - prefix[:n]
    h *= inverse[:n]
    h ^= h >> np.uint64(29)
    h &= np.uint64(0xFFFFFFFF)
    h = h[(h & np.uint64(3)) == 0]
    h.sort()  # then drop repeats: np.unique without its hashing pass (the same sorted values)
    return h[np.concatenate(([True], h[1:] != h[:-1]))] if len(h) > 1 else h


#: Every ASCII byte that is no letter or digit -> a space (what ``_NON_WORD_RE`` does to ASCII text).
_ASCII_WORDS = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + b" " * 128


def _words_only(normalised: str) -> bytes:
    """The text's words (runs of letters and digits) joined by single spaces, as UTF-8. ASCII text goes
    through ``bytes.translate`` (a third of the regex's time), other text through ``_NON_WORD_RE``."""
    if normalised.isascii():
        return b" ".join(normalised.encode().translate(_ASCII_WORDS).split())
    return _NON_WORD_RE.sub(" ", normalised).strip().encode()


_BASE = np.uint64(1_000_003)
_INV_BASE = np.uint64(pow(1_000_003, -1, 2**64))
_POWERS = (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint64))


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(B**k, B**-k) mod 2**64 for k = 0.. at least ``n`` long: computed once and grown by doubling
    (modular products, so a prefix of a longer table is the shorter one). The pair is replaced as a
    whole, so a thread never sees one table grown and the other not."""
    global _POWERS
    powers = _POWERS
    if len(powers[0]) < n:
        m = max(n, 2 * len(powers[0]), 4096)
        powers = (np.cumprod(np.full(m, _BASE, dtype=np.uint64)) * _INV_BASE,
                  np.cumprod(np.full(m, _INV_BASE, dtype=np.uint64)) * _BASE)
        _POWERS = powers
    return powers


def signature(text: str) -> np.ndarray | None:
    """The datasketch MinHash ``hashvalues`` of a text's shingles, or None under ``MIN_CHARS`` characters.

    The same values as ``datasketch.MinHash(NUM_PERM, seed=1, hashfunc=int, scheme=SCHEME).update_batch``
    over the shingles (tests check it), computed in one numpy expression: datasketch calls the hash
    function once per value in Python, which cost more than the shingling itself.
    """
    return _signature(shingles(text))


def _signature(sh: np.ndarray) -> np.ndarray | None:
    if len(sh) < MIN_CHARS // 4:
        return None
    a, b = _permutations()
    hv = _fmix32(sh.astype(np.uint32).reshape(-1, 1))
    return (hv * a + b).min(axis=0)  # uint32 arithmetic wraps, as datasketch's affine32 scheme does


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, the pre-mix datasketch's affine32 scheme applies to every value."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


#: datasketch's parameters for the settings above (its permutations, its LSH bands), stored as data: importing
#: datasketch imports scipy, 0.5 s in every worker process (measured); ``tests/test_duplicates.py`` checks the
#: file against datasketch, and :func:`write_params` rewrites it when a setting changes.
PARAMS_FILE = Path(__file__).with_name("minhash.json")


@lru_cache(maxsize=1)
def _params() -> dict:
    params = json.loads(PARAMS_FILE.read_text(encoding="utf-8"))
    wanted = {"num_perm": NUM_PERM, "seed": 1, "scheme": SCHEME, "threshold": LSH_THRESHOLD, "weights": list(LSH_WEIGHTS)}
    if {k: params.get(k) for k in wanted} != wanted:
        raise RuntimeError(f"{PARAMS_FILE} was made for other MinHash settings: run helpers.ingest.duplicates.write_params()")
    return params


def write_params() -> dict:
    """Write :data:`PARAMS_FILE` from datasketch for the current settings; returns what it wrote."""
    from datasketch import MinHash, MinHashLSH

    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    params = {"num_perm": NUM_PERM, "seed": 1, "scheme": SCHEME, "threshold": LSH_THRESHOLD,
              "weights": list(LSH_WEIGHTS), "dtype": str(m.hashvalues.dtype),
              "a": m.permutations[0].tolist(), "b": m.permutations[1].tolist(), "bands": lsh.b, "rows": lsh.r}
    PARAMS_FILE.write_text(json.dumps(params) + "\n", encoding="utf-8")
    _params.cache_clear()
    _permutations.cache_clear()
    return params


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    p = _params()
    return np.array(p["a"], dtype=np.uint32), np.array(p["b"], dtype=np.uint32)


def _hash_dtype():
    return np.dtype(_params()["dtype"])


_AMP_PARAMS = {"amp", "outputtype", "amp_js_v", "usqp", "_gsa"}


def canonical_url(url) -> str | None:
    """One spelling per article address, or None when ``url`` is not an article's address (empty, not
    http(s), or a site's home page). courlan normalises (lower-case host, default port, tracking
    parameters such as ``utm_*``/``fbclid`` and the fragment dropped, query sorted); then AMP copies
    (``/amp`` path segments, ``.amp`` before the extension, ``amp.`` hosts, ``?amp=1``), ``www.``,
    ``http`` vs ``https`` and a trailing slash are folded.

    Example:
        >>> canonical_url("https://amp.example.com/2026/03/04/talks.amp.html?amp=1"), canonical_url("https://example.com/")
        ('https://example.com/2026/03/04/talks.html', None)
    """
    if not isinstance(url, str) or not url.strip():
        return None
    from courlan import normalize_url

    try:
        url = normalize_url(url.strip(), strict=True)
        parts = urlsplit(url)
    except (ValueError, TypeError):
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower()
    for prefix in ("www.", "amp.", "m."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    segs = [s for s in parts.path.split("/") if s and s.lower() != "amp"]
    if segs:
        segs[-1] = re.sub(r"\.amp(?=\.\w+$)|\.amp$", "", segs[-1], flags=re.I)
    path = "/" + "/".join(segs)
    query = "&".join(q for q in parts.query.split("&") if q and q.split("=")[0].lower() not in _AMP_PARAMS)
    if path == "/" and not query:
        return None  # a home page: many articles may name it
    return urlunsplit(("https", host, path, query, ""))


class _Groups:
    """Union-find over positions 0..n-1 whose root is always the member ranked first."""

    def __init__(self, rank: np.ndarray):
        self.parent = list(range(len(rank)))
        self.rank = rank

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            if self.rank[b] < self.rank[a]:
                a, b = b, a
            self.parent[b] = a


def find_duplicates(doc_ids: list[str], bodies: Sequence[str], keys: Sequence[str], urls: list, rank: np.ndarray,
                    canonical: Sequence[str | None] | None = None) -> tuple[list[str | None], list[str | None]]:
    """``(duplicate_of, duplicate_reason)`` per article. ``rank``: each article's place in the order
    "earliest first" (0 = first); ``keys``: :func:`body_key` of each body; ``bodies`` are read by index,
    only for the few candidate pairs the signatures cannot settle (a pandas array will do: no list of all);
    ``canonical``: :func:`canonical_url` of each url when already known (missing values may be NaN)."""
    n = len(doc_ids)
    groups = _Groups(rank)
    exact = [k[:k.index(":")] for k in keys]  # one pass: ``keys`` may be a pandas array (no list of every key)
    first: dict[str, int] = {}
    for i in np.argsort(rank, kind="stable").tolist():
        j = first.setdefault(exact[i], i)
        if j != i:
            groups.union(j, i)
    canon = [canonical_url(u) for u in urls] if canonical is None or len(canonical) != n else \
        [c if isinstance(c, str) else None for c in canonical]
    by_url: dict[str, int] = {}
    for i, c in enumerate(canon):
        if c is not None:
            j = by_url.setdefault(c, i)
            if j != i:
                groups.union(j, i)
    _near(first, keys, bodies, groups)
    dup_of: list[str | None] = [None] * n
    reason: list[str | None] = [None] * n
    for i in range(n):
        r = groups.find(i)
        if r != i:
            dup_of[i] = doc_ids[r]
            reason[i] = ("same_body" if exact[i] == exact[r] else
                         "same_url" if canon[i] is not None and canon[i] == canon[r] else "near_body")
    return dup_of, reason


def _near(first: dict[str, int], keys: Sequence[str], bodies: Sequence[str], groups: _Groups) -> None:
    """Join near-duplicate bodies (one article per distinct body): LSH candidates, then checked.

    The banding is datasketch's (``MinHashLSH``'s ``b`` bands of ``r`` values for ``LSH_THRESHOLD`` and
    ``LSH_WEIGHTS``), done with numpy over all signatures at once: datasketch's index costs ~90 us per
    article in Python (9 s at 100k), this ~1 s. In each band's bucket every article is paired with the
    bucket's earliest article and with the one just before it: at most ``2 * b`` candidates per article
    whatever the bucket sizes (templated text fills big buckets), never all pairs. A candidate pair whose
    signatures agree on at least ``SURE_COPY`` of their values (estimated Jaccard) is a copy; under
    ``MAY_COPY`` it is not; in between the shingles themselves are compared (``MIN_OVERLAP`` of the
    shorter body).
    """
    firsts = set(first.values())  # one article per distinct body; those with a signature, earliest first
    reps = sorted((i for i, k in enumerate(keys) if i in firsts and len(k) > 41), key=lambda i: groups.rank[i])
    if len(reps) < 2:
        return
    row_of = {i: row for row, i in enumerate(reps)}
    sig = np.empty((len(reps), NUM_PERM), dtype=_hash_dtype())
    for i, k in enumerate(keys):  # a second pass, row by row: no list of every key nor of 100k arrays
        row = row_of.get(i)
        if row is not None:
            sig[row] = np.frombuffer(base64.b64decode(k[k.index(":") + 1:]), dtype=sig.dtype)
    b, r = _bands()
    codes = np.zeros(0, dtype=np.int64)  # the candidate pairs so far, each once, sorted
    n = len(reps)
    rows = np.arange(n)
    for band in range(b):
        block = sig[:, band * r:(band + 1) * r].astype(np.uint64)
        h = np.zeros(len(reps), dtype=np.uint64)
        for t in range(r):
            h = h * np.uint64(0x100000001B3) + block[:, t]  # wraps modulo 2**64: a bucket key
        order = np.argsort(h, kind="stable")  # rows are in rank order: stable keeps it inside a bucket
        hs = h[order]
        new = np.ones(len(order), dtype=bool)
        new[1:] = hs[1:] != hs[:-1]
        leader = order[np.maximum.accumulate(np.where(new, rows, 0))]
        follow = ~new
        # a pair (x, y) as one number, x * n + y; merged band by band (bands repeat pairs: no list of them all)
        codes = np.union1d(codes, np.concatenate([leader[follow] * n + order[follow],
                                                  order[:-1][follow[1:]] * n + order[1:][follow[1:]]]))
    cand = np.stack([codes // n, codes % n], axis=1)
    cand = cand[cand[:, 0] != cand[:, 1]]
    same = np.concatenate([(sig[c[:, 0]] == sig[c[:, 1]]).mean(axis=1)
                           for c in np.array_split(cand, max(1, len(cand) // 16_384))]) if len(cand) else np.zeros(0)
    keep = same >= MAY_COPY
    cand, same = cand[keep], same[keep]
    cache: dict[int, np.ndarray] = {}
    for x, y, sim in _blocks(cand[:, 0], cand[:, 1], same):
        i, j = reps[x], reps[y]
        if groups.find(i) == groups.find(j):
            continue
        if sim < SURE_COPY:
            a = cache.get(i)
            if a is None:
                a = cache[i] = shingles(bodies[i])
            c = cache.get(j)
            if c is None:
                c = cache[j] = shingles(bodies[j])
            if _common(a, c) < MIN_OVERLAP * min(len(a), len(c)):
                continue
        groups.union(i, j)


def _blocks(*columns: np.ndarray, size: int = 65_536):
    """The rows of equally long arrays as tuples of Python values, converted a block at a time (a list
    of millions of candidate pairs would take hundreds of MB)."""
    for start in range(0, len(columns[0]), size):
        yield from zip(*(c[start:start + size].tolist() for c in columns))


def _common(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted arrays of unique values share (binary search: no sort, unlike
    ``np.intersect1d``).

    Example:
        >>> _common(np.array([1, 3, 5, 7]), np.array([0, 3, 7, 9, 11]))
        2
    """
    if not len(a) or not len(b):
        return 0
    if len(a) > len(b):
        a, b = b, a
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return int((b[at] == a).sum())


def _bands() -> tuple[int, int]:
    """datasketch's choice of bands and rows for the threshold and weights (stored in :data:`PARAMS_FILE`)."""
    p = _params()
    return p["bands"], p["rows"]
