"""Charts for the notebooks: every chart exists twice, drawn from one small aggregated table.

- a static matplotlib figure, saved as ``<name>.png`` beside ``<name>.csv`` (the table that drew it);
- an interactive plotly figure, shown in the notebook and in the offline HTML report.

Rules kept here once, so every notebook looks the same:

- claim/denial colours (``STANCE_COLORS``) are the same in every chart;
- charts are drawn from aggregated tables, never from raw rows; long category lists are cut to
  ``MAX_CATEGORIES`` (the rest merged into one bar) and the timeline draws at most ``MAX_EVENTS`` events;
- text that comes from a corpus (titles, sentences, speaker names) is untrusted: it is HTML-escaped before
  it reaches plotly (hover labels, tick labels, legends) and ``$`` is escaped for matplotlib's mathtext;
- output is deterministic: fixed plotly ``div`` ids (from the chart name), sorted tables, no timestamps.

Example:
    >>> import pandas as pd
    >>> t = pd.DataFrame({"day": ["2026-01-12", "2026-01-12", "2026-01-13"],
    ...                   "stance": ["claim", "denial", "denial"], "n": [3, 1, 2]})
    >>> c = stacked_bars(t, x="day", y="n", color="stance", name="per-day",
    ...                  title="Denials follow the claim", xlabel="day", ylabel="statements")
    >>> c.table.shape, c.interactive.data[0].marker.color == STANCE_COLORS["claim"]
    ((3, 3), True)
"""
from __future__ import annotations

import base64
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: One colour per stance, used by every chart (Okabe-Ito palette: readable with colour blindness).
STANCE_COLORS = {"claim": "#D55E00", "denial": "#0072B2", "other": "#999999"}
STANCE_ORDER = ("claim", "denial", "other")
#: Colours for any other category (outlets, sides, precisions), given out in sorted order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#999999", "#882255")
OTHERS_COLOR = "#BBBBBB"
#: At most this many bars per category axis; the rest is merged into one bar.
MAX_CATEGORIES = 15
#: Above this many days a time axis is drawn as stacked steps, not one bar per day (hundreds of thin
#: bars are slow to draw and hard to read).
MAX_DAY_BARS = 90
#: At most this many events on the timeline (the most widely reported first).
MAX_EVENTS = 200
#: Hover labels are cut to this many characters (the full sentence is in the table).
MAX_HOVER_CHARS = 300

_PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass
class Chart:
    """One chart: the table that drew it, a static and an interactive figure, and a note for the reader.

    ``name`` is the file stem of ``<name>.csv`` / ``<name>.png`` and the plotly ``div`` id (``fig-<name>``).

    Example:
        >>> import pandas as pd
        >>> c = stacked_bars(pd.DataFrame({"k": ["a"], "n": [1]}), x="k", y="n", name="demo",
        ...                  title="One bar", xlabel="k", ylabel="n")
        >>> c.name, c.div_id
        ('demo', 'fig-demo')
    """

    name: str
    title: str
    table: pd.DataFrame
    static: object  # matplotlib.figure.Figure
    interactive: object  # plotly.graph_objects.Figure
    notes: list[str] = field(default_factory=list)

    @property
    def div_id(self) -> str:
        return f"fig-{self.name}"


# --------------------------------------------------------------------------------------------- escaping

def esc(text) -> str:
    """HTML-escape untrusted text for plotly labels and HTML output (``None``/NaN become ``""``).

    Example:
        >>> esc('<img src=x onerror="alert(1)">')
        '&lt;img src=x onerror=&#34;alert(1)&#34;&gt;'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    # numeric entities for quotes: plotly's label renderer decodes &#34; but shows &quot; literally
    return html.escape(str(text), quote=False).replace('"', "&#34;").replace("'", "&#39;")


def mpl_text(text) -> str:
    """Make untrusted text safe for matplotlib: ``$`` would start mathtext (and can raise).

    Example:
        >>> mpl_text("costs $5 and $6")
        'costs \\\\$5 and \\\\$6'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return str(text).replace("\\", "\\\\").replace("$", r"\$")


def _wrap(text: str, width: int = 70) -> str:
    """Escape, shorten and wrap a sentence for a hover label (``<br>`` is ours, added after escaping)."""
    raw = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    if len(raw) > MAX_HOVER_CHARS:
        raw = raw[: MAX_HOVER_CHARS - 1].rstrip() + "…"
    lines, line = [], ""
    for word in raw.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "<br>".join(esc(x) for x in lines)


#: Axis labels (speakers, outlets) longer than this are shortened on the chart (the table keeps them whole).
MAX_LABEL_CHARS = 40


def short_labels(values, limit: int = MAX_LABEL_CHARS) -> list[str]:
    """Shorten long axis labels with an ellipsis, keeping them distinct (a suffix when two collide).

    Example:
        >>> short_labels(["a" * 50, "a" * 45, "b"], limit=10)
        ['aaaaaaaaa…', 'aaaaaaaaa… (2)', 'b']
    """
    out, seen = [], {}
    for v in values:
        v = str(v)
        s = v if len(v) <= limit else v[: limit - 1].rstrip() + "…"
        n = seen.get(s, 0) + 1
        seen[s] = n
        out.append(s if n == 1 else f"{s} ({n})")
    return out


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise ValueError(f"chart name {name!r} has no letters or digits")
    return slug


# --------------------------------------------------------------------------------------------- colours

def colors_for(values) -> dict[str, str]:
    """Colour of each category: stances get ``STANCE_COLORS``, anything else the palette in sorted order.

    Example:
        >>> colors_for(["denial", "claim"])["claim"] == STANCE_COLORS["claim"]
        True
        >>> colors_for(["b", "a"])
        {'a': '#0072B2', 'b': '#E69F00'}
    """
    vals = sorted({str(v) for v in values})
    out = {}
    others = [v for v in vals if v not in STANCE_COLORS]
    for v in vals:
        if v in STANCE_COLORS:
            out[v] = STANCE_COLORS[v]
    for i, v in enumerate(others):
        out[v] = OTHERS_COLOR if v.startswith("(") else PALETTE[i % len(PALETTE)]
    return out


def _order(values) -> list[str]:
    vals = {str(v) for v in values}
    return [s for s in STANCE_ORDER if s in vals] + sorted(v for v in vals if v not in STANCE_ORDER)


# --------------------------------------------------------------------------------------------- tables

def cap_categories(table: pd.DataFrame, key: str, value: str, limit: int = MAX_CATEGORIES,
                   other_label: str = "({n} others)") -> tuple[pd.DataFrame, int]:
    """Keep the ``limit - 1`` largest categories of ``key`` (by summed ``value``); merge the rest into one.

    Returns the capped table and how many categories were merged.

    Example:
        >>> import pandas as pd
        >>> t = pd.DataFrame({"k": list("abcd"), "n": [4, 3, 2, 1]})
        >>> capped, merged = cap_categories(t, "k", "n", limit=3)
        >>> capped["k"].tolist(), merged
        (['a', 'b', '(2 others)'], 2)
    """
    totals = table.groupby(key, sort=False)[value].sum()
    if len(totals) <= limit:
        return table.copy(), 0
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], str(kv[0])))
    keep = {k for k, _ in ranked[: limit - 1]}
    n_other = len(ranked) - len(keep)
    label = other_label.format(n=n_other)
    out = table.copy()
    out[key] = out[key].where(out[key].isin(keep), label)
    group = [c for c in out.columns if c != value]
    out = out.groupby(group, sort=False, dropna=False)[value].sum().reset_index()
    return out, n_other


def in_window(df: pd.DataFrame, start: str, end: str | None = None, date_from=None, date_to=None,
              keep_unknown: bool = True) -> pd.DataFrame:
    """Rows whose time interval ``[start, end]`` overlaps the window ``[date_from, date_to]`` (whole days, UTC).

    ``None`` bounds are open. Rows with no time at all are kept when ``keep_unknown`` (their time is
    unknown, not outside the window).

    Example:
        >>> import pandas as pd
        >>> t = pd.DataFrame({"at": pd.to_datetime(["2026-01-01", "2026-02-01", None], utc=True)})
        >>> len(in_window(t, "at", date_from="2026-01-15")), len(in_window(t, "at", date_from="2026-01-15", keep_unknown=False))
        (2, 1)
    """
    end = end or start
    lo_col = pd.to_datetime(df[start], utc=True)
    hi_col = pd.to_datetime(df[end], utc=True)
    unknown = lo_col.isna() & hi_col.isna()
    keep = pd.Series(True, index=df.index)
    if date_from:
        lo = pd.Timestamp(date_from, tz="UTC").normalize()
        keep &= hi_col.fillna(lo_col) >= lo
    if date_to:
        hi = pd.Timestamp(date_to, tz="UTC").normalize() + pd.Timedelta(days=1)
        keep &= lo_col.fillna(hi_col) < hi
    keep = keep.fillna(False) & ~unknown
    if keep_unknown:
        keep |= unknown
    return df[keep]


#: Longest cell text a displayed table shows (the saved CSV keeps everything): keeps pages small at 100k articles.
MAX_CELL_CHARS = 400


def sortable_table(df: pd.DataFrame, name: str, max_rows: int = 500) -> str:
    """HTML for ``df`` as a table the reader can sort by clicking a column header (every cell escaped).

    Shows at most ``max_rows`` rows (the note under the table says how many were left out).

    Example:
        >>> import pandas as pd
        >>> h = sortable_table(pd.DataFrame({"text": ["<script>x</script>"]}), "t")
        >>> "<script>x" in h, "&lt;script&gt;x" in h
        (False, True)
        >>> "cut (…)" in sortable_table(pd.DataFrame({"docs": ["d1, " * 500]}), "t")
        True
    """
    tid = f"tbl-{_slug(name)}"
    shown = df.head(max_rows).copy()
    cut = False
    for col in shown.columns:  # readable, still sortable as text: 2026-01-12 10:00
        if isinstance(shown[col].dtype, pd.DatetimeTZDtype) or str(shown[col].dtype).startswith("datetime64"):
            shown[col] = pd.to_datetime(shown[col], utc=True).dt.strftime("%Y-%m-%d %H:%M").fillna("")
        elif shown[col].dtype == object or pd.api.types.is_string_dtype(shown[col].dtype):
            long = shown[col].astype("str").str.len() > MAX_CELL_CHARS  # e.g. the doc list of a quote repeated 1,000 times
            if long.any():
                cut = True
                shown.loc[long, col] = shown.loc[long, col].astype("str").str.slice(0, MAX_CELL_CHARS) + " …"
    body = shown.to_html(index=False, escape=True, na_rep="", table_id=tid,
                         classes="claims-sortable", border=0)
    note = ""
    if len(df) > len(shown):
        note = f"<p>Showing the first {len(shown)} of {len(df)} rows (the CSV has all of them).</p>"
    if cut:
        note += f"<p>Cells longer than {MAX_CELL_CHARS} characters are cut (…); the CSV has them whole.</p>"
    return (f"<div class=\"claims-table\" style=\"overflow-x:auto\"><style>#{tid} td, #{tid} th {{text-align: left; vertical-align: top}}"
            f"</style>{body}{note}<p><small>Click a column header to sort.</small></p>"
            f"<script>{_SORT_JS % json.dumps(tid)}</script></div>")


# A tiny table sorter: our own constant code; it only reads cell text (textContent), never writes markup.
_SORT_JS = """(function(){var t=document.getElementById(%s);if(!t||t.dataset.sortable)return;
t.dataset.sortable="1";var hs=t.tHead?t.tHead.rows[0].cells:[];
function key(s){var n=parseFloat(s);return(s.trim()!==""&&!isNaN(n)&&isFinite(s))?[0,n]:[1,s.toLowerCase()];}
Array.prototype.forEach.call(hs,function(h,i){h.style.cursor="pointer";h.title="sort";h.addEventListener("click",function(){
var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=h.dataset.dir!=="asc";
Array.prototype.forEach.call(hs,function(o){delete o.dataset.dir;});h.dataset.dir=asc?"asc":"desc";
rows.sort(function(r1,r2){var a=key(r1.cells[i].textContent),c=key(r2.cells[i].textContent);
var d=a[0]-c[0]||(a[1]<c[1]?-1:a[1]>c[1]?1:0);return asc?d:-d;});
rows.forEach(function(r){b.appendChild(r);});});});})();"""


# --------------------------------------------------------------------------------------------- figures

def _figure(width: float = 8.0, height: float = 4.0):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


#: A small plotly template (white, axis lines, no grid): the stock templates add ~8 KB to every figure.
_AXIS = {"showline": True, "linecolor": "#444444", "ticks": "outside", "showgrid": False, "zeroline": False,
         "automargin": True}
_TEMPLATE = {"layout": {"paper_bgcolor": "white", "plot_bgcolor": "white", "hovermode": "closest",
                        "xaxis": _AXIS, "yaxis": _AXIS, "font": {"color": "#222222"}}}


def _plotly_layout(fig, title: str, xlabel: str, ylabel: str, height: int = 420) -> None:
    fig.update_layout(
        title={"text": esc(title), "x": 0.01, "xanchor": "left"},
        xaxis_title=esc(xlabel), yaxis_title=esc(ylabel), template=_TEMPLATE, height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 50}, legend_title_text="", hoverlabel={"align": "left"},
        font={"family": "Helvetica, Arial, sans-serif", "size": 13}, legend_traceorder="normal")


def stacked_bars(table: pd.DataFrame, x: str, y: str, color: str | None = None, *, name: str, title: str,
                 xlabel: str, ylabel: str, horizontal: bool = False, time_axis: bool = False,
                 max_categories: int = MAX_CATEGORIES) -> Chart:
    """Bars of ``y`` per ``x``, stacked by ``color`` (stances keep their colours everywhere).

    ``table`` is already aggregated (one row per ``x``/``color``). With ``time_axis`` the ``x`` values
    are days; otherwise ``x`` is a category and only the ``max_categories`` largest are drawn.
    ``horizontal`` draws category bars sideways (long names stay readable).

    Example:
        >>> import pandas as pd
        >>> t = pd.DataFrame({"speaker": ["A", "B", "A"], "stance": ["claim", "denial", "denial"], "n": [2, 1, 1]})
        >>> c = stacked_bars(t, "speaker", "n", "stance", name="by-speaker", title="A talks most",
        ...                  xlabel="statements", ylabel="speaker", horizontal=True)
        >>> [tr.name for tr in c.interactive.data]
        ['claim', 'denial']
    """
    name = _slug(name)
    cols = [x, y] + ([color] if color else [])
    missing = [c for c in cols if c not in table.columns]
    if missing:
        raise KeyError(f"chart {name!r}: table has no column(s) {missing}; it has {list(table.columns)}")
    t = table[cols].copy()
    t[y] = pd.to_numeric(t[y])
    notes = []
    if time_axis:
        t[x] = pd.to_datetime(t[x], utc=True).dt.tz_localize(None).dt.normalize()
    else:
        t[x] = t[x].astype("str")
        t, merged = cap_categories(t, x, y, max_categories)
        if merged:
            notes.append(f"{merged} smaller categories are merged into one bar.")
    if color:
        t[color] = t[color].fillna("(none)").astype("str")
        if color != "stance":  # more series than colours cannot be told apart: merge the smallest
            t, merged = cap_categories(t, color, y, len(PALETTE))
            if merged:
                notes.append(f"The {merged} smallest {color} series are merged into one.")
        t = t.groupby([x, color], sort=False)[y].sum().reset_index()
    else:
        t = t.groupby([x], sort=False)[y].sum().reset_index()
    # category order: largest total first (ties by name); days in time order
    if time_axis:
        xs = sorted(t[x].unique())
    else:
        totals = t.groupby(x)[y].sum()
        xs = sorted(totals.index, key=lambda k: (-totals[k], k))
        xs = [k for k in xs if not k.startswith("(")] + [k for k in xs if k.startswith("(")]
    groups = _order(t[color]) if color else [None]
    cmap = colors_for(groups) if color else {}
    t = t.sort_values([x] + ([color] if color else []), key=None).reset_index(drop=True)
    if time_axis:
        t[x] = t[x].dt.strftime("%Y-%m-%d")
    xs_out = [k.strftime("%Y-%m-%d") for k in xs] if time_axis else xs

    # --- static
    import numpy as np

    fig, ax = _figure(8.0, max(3.0, 0.35 * len(xs_out) + 1.2) if horizontal else 4.0)
    pos = np.arange(len(xs_out))
    base = np.zeros(len(xs_out))
    steps = time_axis and len(xs_out) > MAX_DAY_BARS
    for g in groups:
        sub = t if g is None else t[t[color] == g]
        vals = sub.set_index(x)[y].reindex(xs_out).fillna(0).to_numpy(dtype=float)
        kw = {"color": cmap.get(g, PALETTE[0]), "label": mpl_text(g) if g is not None else None}
        if horizontal:
            ax.barh(pos, vals, left=base, **kw)
        elif steps:
            ax.fill_between(pos, base, base + vals, step="mid", linewidth=0, **kw)
        else:
            ax.bar(pos, vals, bottom=base, **kw)
        base += vals
    shown = xs_out if time_axis else short_labels(xs_out)
    labels = [mpl_text(v) for v in shown]
    if horizontal:
        ax.set_yticks(pos, labels)
        ax.invert_yaxis()
        ax.set_xlabel(mpl_text(xlabel))
        ax.set_ylabel(mpl_text(ylabel))
    else:
        step = max(1, len(xs_out) // 15)
        ax.set_xticks(pos[::step], labels[::step], rotation=45 if len(xs_out) > 4 else 0, ha="right" if len(xs_out) > 4 else "center")
        ax.set_xlabel(mpl_text(xlabel))
        ax.set_ylabel(mpl_text(ylabel))
    ax.set_title(mpl_text(title), loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    integral = bool(len(t)) and bool((t[y] == t[y].round()).all())
    if integral:
        from matplotlib.ticker import MaxNLocator

        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    if color and len(groups) > 1:
        # a fixed place beside the axes: matplotlib's "best" search is slow on thousands of bars
        fig.legend(frameon=False, loc="outside right upper")

    # --- interactive
    import plotly.graph_objects as go

    pfig = go.Figure()
    for g in groups:
        sub = t if g is None else t[t[color] == g]
        sub = sub.set_index(x)[y].reindex(xs_out).fillna(0)
        cats = [esc(v) for v in shown]
        vals = [float(v) for v in sub.to_numpy()]
        label = esc(g) if g is not None else esc(ylabel)
        # corpus text only ever enters as data (name, customdata), never as template text
        hover = f"%{{fullData.name}}<br>%{{customdata}}: %{{{'x' if horizontal else 'y'}}}<extra></extra>"
        kw = dict(name=label, marker_color=cmap.get(g, PALETTE[0]), hovertemplate=hover,
                  customdata=[esc(v) for v in xs_out])
        if horizontal:
            pfig.add_trace(go.Bar(y=cats, x=vals, orientation="h", **kw))
        else:
            pfig.add_trace(go.Bar(x=cats, y=vals, **kw))
    _plotly_layout(pfig, title, xlabel, ylabel, height=max(300, 28 * len(xs_out) + 140) if horizontal else 420)
    pfig.update_layout(barmode="stack", showlegend=bool(color))
    if integral and float(base.max(initial=0)) <= 10:  # small counts: whole-number ticks only
        (pfig.update_xaxes if horizontal else pfig.update_yaxes)(dtick=1)
    if horizontal:
        pfig.update_yaxes(autorange="reversed", type="category")
    else:
        pfig.update_xaxes(type="date" if time_axis else "category")
    return Chart(name, title, t, fig, pfig, notes)


def _unit(values: list[pd.Timedelta]) -> tuple[str, pd.Timedelta]:
    finite = [v for v in values if v is not None and not pd.isna(v)]
    biggest = max(finite, default=pd.Timedelta(0))
    if biggest <= pd.Timedelta(hours=72):
        return "hours", pd.Timedelta(hours=1)
    return "days", pd.Timedelta(days=1)


def interval_bars(table: pd.DataFrame, label: str, lo: str, hi: str, *, name: str, title: str,
                  xlabel: str, color: str | None = None, mid: str | None = None,
                  hover: dict[str, str] | None = None, max_rows: int = MAX_CATEGORIES * 2) -> Chart:
    """Range bars from ``lo`` to ``hi`` (durations) per ``label``: an honest interval, not a point.

    A missing ``hi`` means "no upper bound": the bar runs to the right edge, dashed, marked "no upper bound".
    A missing ``lo`` is drawn from 0. ``mid`` (optional) marks a typical value (e.g. the median).
    ``hover`` maps a hover label to a column of extra text (escaped). The unit (hours or days) is chosen
    from the data and written on the axis.

    Example:
        >>> import pandas as pd
        >>> t = pd.DataFrame({"pair": ["A -> B", "C -> D"], "lo": pd.to_timedelta(["0h", "2h"]),
        ...                   "hi": pd.to_timedelta(["24h", None])})
        >>> c = interval_bars(t, "pair", "lo", "hi", name="lat", title="Denied within a day", xlabel="latency")
        >>> c.table[["lo_hours", "hi_hours"]].to_dict("list")
        {'lo_hours': [0.0, 2.0], 'hi_hours': [24.0, nan]}
    """
    name = _slug(name)
    hover = hover or {}
    t = table.head(max_rows).copy().reset_index(drop=True)
    notes = []
    if len(table) > len(t):
        notes.append(f"Showing {len(t)} of {len(table)} rows; the CSV beside the chart is cut the same way.")
    lo_td = pd.to_timedelta(t[lo]) if len(t) else pd.Series([], dtype="timedelta64[us]")
    hi_td = pd.to_timedelta(t[hi]) if len(t) else pd.Series([], dtype="timedelta64[us]")
    mid_td = pd.to_timedelta(t[mid]) if mid and len(t) else None
    unit_name, unit = _unit(list(lo_td) + list(hi_td))
    lo_v = (lo_td.fillna(pd.Timedelta(0)) / unit).astype(float)
    hi_v = (hi_td / unit).astype(float)
    out = pd.DataFrame({label: t[label].astype("str")})
    if color:
        out[color] = t[color].astype("str")
    out[f"lo_{unit_name}"] = (lo_td / unit).astype(float).round(3)
    out[f"hi_{unit_name}"] = hi_v.round(3)
    if mid_td is not None:
        out[f"mid_{unit_name}"] = (mid_td / unit).astype(float).round(3)
    for k, col in hover.items():
        out[col] = t[col]
    finite_max = max([v for v in list(hi_v) + list(lo_v) if pd.notna(v)], default=1.0)
    right = max(finite_max * 1.15, 1.0)
    n_open = int(hi_v.isna().sum())
    if n_open:
        notes.append(f"{n_open} interval(s) have no upper bound: the text does not say how late it could be.")
    full = [str(v) for v in out[label]]
    labels = short_labels(full)
    cmap = colors_for(out[color]) if color else {}

    # --- static
    fig, ax = _figure(8.0, max(2.5, 0.45 * len(t) + 1.3))
    seen = set()
    for i in range(len(t)):
        c = cmap.get(out[color].iloc[i], PALETTE[0]) if color else PALETTE[0]
        group = str(out[color].iloc[i]) if color else None
        lab = mpl_text(group) if color and group not in seen else None
        seen.add(group)
        a, b = lo_v.iloc[i], hi_v.iloc[i]
        if pd.isna(b):
            ax.plot([a, right], [i, i], color=c, linewidth=8, alpha=0.35, solid_capstyle="butt", label=lab)
            ax.annotate("no upper bound", (right, i), xytext=(-4, 8), textcoords="offset points", ha="right",
                        fontsize=8, color="#444444")
        else:
            ax.plot([a, max(b, a + right * 0.004)], [i, i], color=c, linewidth=8, solid_capstyle="butt", label=lab)
        if mid_td is not None and pd.notna(out[f"mid_{unit_name}"].iloc[i]):
            ax.plot([out[f"mid_{unit_name}"].iloc[i]], [i], marker="|", color="black", markersize=14)
    ax.set_yticks(range(len(t)), [mpl_text(v) for v in labels])
    ax.set_ylim(max(len(t), 1) - 0.5, -0.5)
    ax.set_xlim(0, right)
    ax.set_xlabel(mpl_text(f"{xlabel} ({unit_name})"))
    ax.set_title(mpl_text(title), loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", alpha=0.3)
    if color and len(t):
        ax.legend(frameon=False, title=mpl_text(color), loc="best")

    # --- interactive
    import plotly.graph_objects as go

    pfig = go.Figure()
    legend_done = set()
    for i in range(len(t)):
        c = cmap.get(out[color].iloc[i], PALETTE[0]) if color else PALETTE[0]
        group = str(out[color].iloc[i]) if color else None
        first_of_group = bool(color) and group not in legend_done
        legend_done.add(group)
        a, b = float(lo_v.iloc[i]), hi_v.iloc[i]
        open_end = pd.isna(b)
        b = right if open_end else float(b)
        extra = "".join(f"<br>{esc(k)}: {_wrap(out[col].iloc[i])}" for k, col in hover.items())
        bound = "no upper bound" if open_end else f"{b:.3g} {unit_name}"
        text = f"{esc(full[i])}<br>from {a:.3g} to {bound}{extra}"
        pfig.add_trace(go.Scatter(
            x=[a, b], y=[esc(labels[i])] * 2, mode="lines", line={"color": c, "width": 12},
            opacity=0.35 if open_end else 1.0, hoverinfo="text", text=[text, text], hoveron="points",
            name=esc(group) if color else None, legendgroup=esc(group) if color else None,
            showlegend=first_of_group))
        if open_end:
            pfig.add_annotation(x=b, y=esc(labels[i]), text="no upper bound →", showarrow=False, xanchor="right",
                                yshift=14, font={"size": 11, "color": "#444444"})
        if mid_td is not None and pd.notna(out[f"mid_{unit_name}"].iloc[i]):
            pfig.add_trace(go.Scatter(x=[float(out[f"mid_{unit_name}"].iloc[i])], y=[esc(labels[i])], mode="markers",
                                      marker={"symbol": "line-ns-open", "size": 18, "color": "black"},
                                      showlegend=False, hoverinfo="text", text=[f"median {float(out[f'mid_{unit_name}'].iloc[i]):.3g} {unit_name}"]))
    _plotly_layout(pfig, title, f"{xlabel} ({unit_name})", "", height=max(260, 40 * len(t) + 140))
    pfig.update_yaxes(autorange="reversed", type="category")
    pfig.update_xaxes(range=[0, right])
    return Chart(name, title, out, fig, pfig, notes)


def timeline(events: pd.DataFrame, *, name: str, title: str, max_events: int = MAX_EVENTS,
             label: str = "speaker", text: str = "text") -> Chart:
    """Events on one time axis: a segment from ``said_from`` to ``said_to`` per event, one row per ``label``.

    Colour is the stance; hovering shows the (escaped) evidence sentence, how many articles report the
    event and what fixed its time. An event with only a latest time (``said_from`` unknown: bounded by
    publication) is drawn as a left-pointing triangle at that time ("no later than"). Events without any
    time cannot be placed and are counted in a note. At most ``max_events`` are drawn: the most widely
    reported first.

    Example:
        >>> import pandas as pd
        >>> ev = pd.DataFrame({"event_id": ["e1", "e2"], "stance": ["claim", "denial"], "speaker": ["A", "B"],
        ...     "text": ["A said so.", "B said no."], "time_basis": ["relative", "published"], "n_articles": [2, 1],
        ...     "said_from": pd.to_datetime(["2026-01-11", None], utc=True),
        ...     "said_to": pd.to_datetime(["2026-01-12", "2026-01-13"], utc=True)})
        >>> c = timeline(ev, name="tl", title="One claim, one denial")
        >>> c.table[["event_id", "said_from", "said_to"]].values.tolist()
        [['e1', '2026-01-11 00:00', '2026-01-12 00:00'], ['e2', '', '2026-01-13 00:00']]
    """
    name = _slug(name)
    need = ["event_id", "stance", label, text, "said_from", "said_to", "time_basis", "n_articles"]
    missing = [c for c in need if c not in events.columns]
    if missing:
        raise KeyError(f"timeline: events table has no column(s) {missing}")
    ev = events[need].copy()
    ev["said_from"] = pd.to_datetime(ev["said_from"], utc=True)
    ev["said_to"] = pd.to_datetime(ev["said_to"], utc=True)
    dated = ev[ev["said_from"].notna() | ev["said_to"].notna()].copy()
    notes = []
    if len(dated) < len(ev):
        notes.append(f"{len(ev) - len(dated)} event(s) have no time at all and are not drawn (they are in the table).")
    dated["_lo"] = dated["said_from"].fillna(dated["said_to"])
    dated["_hi"] = dated["said_to"].fillna(dated["said_from"])
    dated = dated.sort_values(["n_articles", "_lo", "event_id"], ascending=[False, True, True])
    if len(dated) > max_events:
        notes.append(f"Showing the {max_events} most reported of {len(dated)} dated events.")
        dated = dated.head(max_events)
    dated = dated.sort_values(["_lo", "_hi", "event_id"]).reset_index(drop=True)
    open_start = dated["said_from"].isna()  # only "no later than" is known
    point = (dated["_lo"] + (dated["_hi"] - dated["_lo"]) / 2).where(~open_start, dated["_hi"])
    if open_start.any():
        notes.append(f"{int(open_start.sum())} event(s) are bounded only by publication: the triangle marks the "
                     "latest time they can have been said.")
    rows = sorted(dated[label].astype("str").unique(),
                  key=lambda s: (dated.loc[dated[label].astype("str") == s, "_lo"].min(), s))
    ypos = {s: i for i, s in enumerate(rows)}
    short = dict(zip(rows, short_labels(rows)))
    stances = _order(dated["stance"])
    xlabel = "when it was said (UTC); bars span the possible interval, ◀ = no later than"

    # --- static
    import matplotlib.dates as mdates

    fig, ax = _figure(9.0, max(2.5, 0.5 * len(rows) + 1.5))
    for st in stances:
        c = STANCE_COLORS.get(st, OTHERS_COLOR)
        first = True
        for shape, mask in (("o", ~open_start), ("<", open_start)):
            sub = dated[(dated["stance"] == st) & mask]
            if sub.empty:
                continue
            ys = [ypos[str(v)] for v in sub[label]]
            for a, b, y in zip(sub["said_from"], sub["said_to"], ys):
                if pd.notna(a) and pd.notna(b):
                    ax.plot([a.tz_localize(None), b.tz_localize(None)], [y, y], color=c, linewidth=6, alpha=0.5,
                            solid_capstyle="round")
            ax.scatter(point[sub.index].dt.tz_localize(None), ys, color=c, marker=shape, zorder=3, edgecolor="white",
                       s=30 + 15 * sub["n_articles"].clip(upper=10), label=mpl_text(st) if first else None)
            first = False
    ax.set_yticks(range(len(rows)), [mpl_text(short[r]) for r in rows])
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    for lab in ax.get_xticklabels():
        lab.set_rotation(30)
        lab.set_ha("right")
    ax.set_xlabel(xlabel)
    ax.set_title(mpl_text(title), loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", alpha=0.3)
    if stances:
        ax.legend(frameon=False, loc="best")

    # --- interactive
    import plotly.graph_objects as go

    def when(r) -> str:
        if pd.isna(r["said_from"]):
            return f"said no later than {r['said_to']:%Y-%m-%d %H:%M} UTC"
        return f"said between {r['said_from']:%Y-%m-%d %H:%M} and {r['said_to']:%Y-%m-%d %H:%M} UTC"

    pfig = go.Figure()
    for st in stances:
        sub = dated[dated["stance"] == st]
        c = STANCE_COLORS.get(st, OTHERS_COLOR)
        xs, ys = [], []
        for a, b, who in zip(sub["said_from"], sub["said_to"], sub[label]):  # interval segments
            if pd.notna(a) and pd.notna(b):
                xs += [a.strftime("%Y-%m-%d %H:%M"), b.strftime("%Y-%m-%d %H:%M"), None]
                ys += [esc(short[str(who)])] * 2 + [None]
        pfig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": c, "width": 6}, opacity=0.5,
                                  hoverinfo="skip", showlegend=False, legendgroup=st))
        hover = [f"<b>{esc(r[label])}</b> ({esc(st)})<br>{_wrap(r[text])}<br>{when(r)} ({esc(r['time_basis'])})"
                 f"<br>reported by {int(r['n_articles'])} article(s)" for _, r in sub.iterrows()]
        pfig.add_trace(go.Scatter(
            x=[m.strftime("%Y-%m-%d %H:%M") for m in point[sub.index]], y=[esc(short[str(v)]) for v in sub[label]],
            mode="markers", name=esc(st), legendgroup=st, text=hover, hoverinfo="text",
            marker={"color": c, "size": [8 + 2 * min(int(n), 10) for n in sub["n_articles"]],
                    "symbol": ["triangle-left" if o else "circle" for o in open_start[sub.index]],
                    "line": {"color": "white", "width": 1}}))
    _plotly_layout(pfig, title, xlabel, "", height=max(300, 45 * len(rows) + 160))
    pfig.update_yaxes(type="category", categoryorder="array", categoryarray=[esc(short[r]) for r in rows],
                      autorange="reversed")
    pfig.update_xaxes(type="date")
    out = dated[need].copy()
    for col in ("said_from", "said_to"):
        out[col] = out[col].dt.strftime("%Y-%m-%d %H:%M").fillna("")
    return Chart(name, title, out.reset_index(drop=True), fig, pfig, notes)


# --------------------------------------------------------------------------------------------- output

def interactive_html(chart: Chart) -> str:
    """The plotly figure as an HTML fragment: fixed div id, no plotly.js, no MathJax, no CDN.

    plotly.js itself is embedded once per page by the report template (``reporting``).

    Example:
        >>> import pandas as pd
        >>> c = stacked_bars(pd.DataFrame({"k": ["<b>"], "n": [1]}), "k", "n", name="x", title="t", xlabel="k", ylabel="n")
        >>> h = interactive_html(c)
        >>> 'id="fig-x"' in h, "cdn" in h.lower(), "<b>" in h
        (True, False, False)
    """
    import plotly.io as pio

    return pio.to_html(chart.interactive, include_plotlyjs=False, include_mathjax=False, full_html=False,
                       div_id=chart.div_id, config=_PLOTLY_CONFIG)


def png_bytes(chart: Chart) -> bytes:
    """The static figure as PNG bytes (no timestamp inside: same figure, same bytes).

    Example:
        >>> import pandas as pd
        >>> c = stacked_bars(pd.DataFrame({"k": ["a"], "n": [1]}), "k", "n", name="x", title="t", xlabel="k", ylabel="n")
        >>> png_bytes(c)[:4]
        b'\\x89PNG'
    """
    buf = io.BytesIO()
    chart.static.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def write_csv(df: pd.DataFrame, path) -> Path:
    """Write ``df`` as CSV (ISO times, no index) with spreadsheet formulas neutralised: a text cell starting
    with ``=``, ``+``, ``-``, ``@`` (or tab / carriage return) gets a leading apostrophe (``text.csv_safe``),
    so a spreadsheet shows it instead of running it. Every CSV beside the charts is written here.

    Example:
        >>> import tempfile
        >>> p = write_csv(pd.DataFrame({"quote": ["=HYPERLINK(1)", "ok"], "n": [-1, 2]}), Path(tempfile.mkdtemp()) / "q.csv")
        >>> p.read_text().splitlines()
        ['quote,n', "'=HYPERLINK(1),-1", 'ok,2']
    """
    from .text import csv_safe

    csv_safe(df).to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S%z")
    return Path(path)


def save(chart: Chart, out_dir, png: bytes | None = None) -> tuple[Path, Path]:
    """Write ``<name>.csv`` (the table that drew the chart) and ``<name>.png`` (the static figure, or ``png``
    when already drawn) into ``out_dir``.

    Example:
        >>> import pandas as pd, tempfile
        >>> c = stacked_bars(pd.DataFrame({"k": ["a"], "n": [1]}), "k", "n", name="x", title="t", xlabel="k", ylabel="n")
        >>> [p.name for p in save(c, tempfile.mkdtemp())]
        ['x.csv', 'x.png']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv = out / f"{chart.name}.csv"
    write_csv(chart.table, csv)
    path = out / f"{chart.name}.png"
    path.write_bytes(png if png is not None else png_bytes(chart))
    return csv, path


def bundle(chart: Chart) -> dict:
    """The display bundle of the interactive figure: plotly JSON (JupyterLab), HTML fragment (report), text.

    Example:
        >>> import pandas as pd
        >>> c = stacked_bars(pd.DataFrame({"k": ["a"], "n": [1]}), "k", "n", name="x", title="t", xlabel="k", ylabel="n")
        >>> sorted(bundle(c))
        ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']
    """
    return {
        "application/vnd.plotly.v1+json": json.loads(chart.interactive.to_json()) | {"config": _PLOTLY_CONFIG},
        "text/html": interactive_html(chart),
        "text/plain": f"[interactive chart: {chart.title}]",
    }


def static_html(chart: Chart, png: bytes | None = None) -> str:
    """The static PNG as an HTML fragment folded under a "Static image" summary line.

    Example:
        >>> import pandas as pd
        >>> c = stacked_bars(pd.DataFrame({"k": ["a"], "n": [1]}), "k", "n", name="x", title="<t>", xlabel="k", ylabel="n")
        >>> h = static_html(c)
        >>> h.startswith("<details"), 'alt="&lt;t&gt;"' in h
        (True, True)
    """
    png = base64.b64encode(png if png is not None else png_bytes(chart)).decode("ascii")
    return (f"<details class=\"claims-static\"><summary>Static image ({esc(chart.name)}.png, saved with "
            f"{esc(chart.name)}.csv)</summary><img alt=\"{esc(chart.title)}\" "
            f"src=\"data:image/png;base64,{png}\"/></details>")


def show_table(df: pd.DataFrame, name: str, out_dir=None, max_rows: int = 500) -> None:
    """Save ``df`` as ``<name>.csv`` (when ``out_dir`` is given) and display it as a sortable, escaped table.

    Example (in a notebook):
        >>> show_table(run.result.problems, "problems", run.output)  # doctest: +SKIP
    """
    from IPython.display import HTML, display

    name = _slug(name)
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        write_csv(df, out / f"{name}.csv")
    if df.empty:
        print(f"({name}: no rows)")
        return
    display(HTML(sortable_table(df, name, max_rows=max_rows)))


def show(chart: Chart, out_dir=None) -> None:
    """Save the chart (when ``out_dir`` is given) and display it: interactive figure, notes, static figure.

    The interactive output carries both the plotly JSON (JupyterLab draws it natively) and an HTML
    fragment (the offline report draws it with the plotly.js its template embeds). The static PNG is
    shown folded under it, so a printed page still has every chart.

    Example (in a notebook):
        >>> show(chart, out_dir=OUTPUT)  # doctest: +SKIP
    """
    from IPython.display import HTML, display

    png = png_bytes(chart)  # drawn once, for the file and the page
    if out_dir is not None:
        save(chart, out_dir, png)
    display(bundle(chart), raw=True)
    for note in chart.notes:
        print(note)
    display(HTML(static_html(chart, png)))
