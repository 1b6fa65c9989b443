"""Chart builders: drawing choices that keep large corpora fast and readable."""
from __future__ import annotations

import pandas as pd

from helpers import charts


def per_day(days: int, outlets: int = 3) -> pd.DataFrame:
    day = pd.date_range("2026-01-01", periods=days, freq="D", tz="UTC")
    return pd.DataFrame([{"day": d, "outlet": f"Outlet {k}", "articles": (i + k) % 5}
                         for i, d in enumerate(day) for k in range(outlets)])


def test_long_time_axis_is_drawn_as_one_area_per_series():
    c = charts.stacked_bars(per_day(charts.MAX_DAY_BARS + 30), "day", "articles", "outlet", name="long",
                            title="t", xlabel="day", ylabel="articles", time_axis=True)
    ax = c.static.axes[0]
    assert len(ax.patches) == 0 and len(ax.collections) == 3
    assert len(c.interactive.data) == 3 and len(c.interactive.data[0].x) == charts.MAX_DAY_BARS + 30
    assert c.static.legends and ax.get_legend() is None  # beside the axes, not searched for inside


def test_short_time_axis_keeps_one_bar_per_day_and_series():
    c = charts.stacked_bars(per_day(10), "day", "articles", "outlet", name="short", title="t", xlabel="day",
                            ylabel="articles", time_axis=True)
    assert len(c.static.axes[0].patches) == 10 * 3


def test_save_writes_the_given_png_and_the_table(tmp_path):
    c = charts.stacked_bars(per_day(3), "day", "articles", "outlet", name="three", title="t", xlabel="day",
                            ylabel="articles", time_axis=True)
    png = charts.png_bytes(c)
    csv_path, png_path = charts.save(c, tmp_path, png)
    assert png_path.read_bytes() == png and png.startswith(b"\x89PNG")
    assert len(pd.read_csv(csv_path)) == len(c.table) > 0


def test_more_series_than_colours_are_merged_and_said_so():
    c = charts.stacked_bars(per_day(5, outlets=len(charts.PALETTE) + 4), "day", "articles", "outlet", name="many",
                            title="t", xlabel="day", ylabel="articles", time_axis=True)
    names = [tr.name for tr in c.interactive.data]
    assert len(names) == len(charts.PALETTE) and "(5 others)" in names
    assert any("5 smallest outlet series" in n for n in c.notes)
    assert c.table["articles"].sum() == per_day(5, outlets=len(charts.PALETTE) + 4)["articles"].sum()
