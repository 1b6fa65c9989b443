"""A page with no sentence breaks must not hang the analysis (issue 10, finding 1).

The first version's subject finder was quadratic in a paragraph's length: 200 KB took 40 s and 1 MB did
not finish in 15 minutes. Sentences are now cut at ``extraction.MAX_SENTENCE`` characters, so the cost is
linear. The timing itself lives in the benchmark (``make bench``: 1, 2, 4 MB single lines); this test
only holds a generous bound, in a child process so a hang ends as a failure.
"""
import subprocess
import sys

SCRIPT = r"""
import random, sys, pandas as pd
from helpers.extraction import extract_mentions
from helpers.story import load_story
from helpers.paths import DEMO_STORY
rng = random.Random(7)
words = "the river farmers dam talks officials said water level report minister denied premier council".split()
parts = []
size = 0
while size < 1_000_000:  # one line of distinct clauses, no sentence break (no memo can help)
    s = " ".join(rng.choice(words) for _ in range(12)) + " and "
    parts.append(s)
    size += len(s)
body = "".join(parts)
rows = extract_mentions({"doc_id": "x", "title": None, "body": body, "published_at": pd.Timestamp("2026-03-01", tz="UTC"),
                         "published_precision": "day", "outlet": None}, load_story(DEMO_STORY))
print(len(body), len(rows))
"""


def test_a_one_megabyte_line_is_read_in_bounded_time():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    n_chars, _ = map(int, done.stdout.split())
    assert n_chars >= 1_000_000
