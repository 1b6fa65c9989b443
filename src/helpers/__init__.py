"""Analyst toolkit for claims and denials in the news.

Modules (each small, each imported by the notebooks, never copied into them):

- ``paths``      project-root based locations (``PROJ_ROOT``, ``DEMO_CORPUS`` ...)
- ``schemas``    the data contract: one declared, validated schema per table
- ``corpus``     load a folder of scraped articles into the ``articles`` table (+ ``problems``)
- ``cleaning``   general rules that remove page furniture (share lines, tickers, ads ...)
- ``dates``      publication dates, time-zone table, relative dates ("hours later", "on Monday")
- ``story``      the story file (YAML): proposition, sides, speakers and how articles name them
- ``stance``     ``classify(text, claim=None)`` -> ``claim`` / ``denial`` / ``other``
- ``extraction`` attributed statements -> the ``mentions`` table, with evidence spans and cues
- ``metrics``    events, claim frequency, denial latency
- ``pipeline``   ``analyze(corpus, story, out)``: the whole chain, cached and parallel
- ``charts``     matplotlib (static) and plotly (interactive) figures, saved with their tables
- ``reporting``  papermill runs + offline HTML rendering of the notebooks
- ``text``       tiny shared helpers: ``is_na``, the month table, the doc-id uniquifier, safe paths and CSV cells
"""

__version__ = "0.1.0"
