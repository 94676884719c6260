"""The report's chart: requests per week by category (stacked bars), first response on time
(a line), as a PNG drawn by matplotlib's Agg backend with a CJK font for the Chinese labels."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

# A CJK font, in the order tried: Debian's fonts-wqy-microhei first (installed by .ci/run).
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "SimHei")


@dataclass(frozen=True, slots=True)
class ChartData:
    title: str
    weeks: tuple[date, ...]
    # category label → requests per week, in the order of ``weeks``
    series: tuple[tuple[str, tuple[int, ...]], ...]
    # on-time share per week (None: nothing due that week)
    sla: tuple[float | None, ...]
    requests_label: str
    sla_label: str
    week_label: str


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The file of the first CJK font matplotlib finds, or None."""
    from matplotlib import font_manager

    for family in CJK_FONTS:
        try:
            path: str = font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        return path
    return None


def draw(data: ChartData) -> bytes:
    """The PNG; slow (tens of milliseconds): call it off the event loop."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = cjk_font()
    props = font_manager.FontProperties(fname=font) if font else None
    fig = Figure(figsize=(9, 5), dpi=110)
    ax = fig.add_subplot()
    x = list(range(len(data.weeks)))
    bottom = [0] * len(x)
    for label, counts in data.series:
        ax.bar(x, counts, bottom=bottom, label=label, width=0.6)
        bottom = [a + b for a, b in zip(bottom, counts, strict=True)]
    ax.set_xticks(x, [f"{w:%m-%d}" for w in data.weeks])
    # Whole requests on the axis, with room above the tallest bar for the legend.
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max([*bottom, 1]) * 1.3)
    ax.set_ylabel(data.requests_label, fontproperties=props)
    ax.set_xlabel(data.week_label, fontproperties=props)
    ax.set_title(data.title, fontproperties=props)
    line = ax.twinx()
    points = [(i, v) for i, v in zip(x, data.sla, strict=True) if v is not None]
    if points:
        line.plot([p[0] for p in points], [p[1] for p in points], color="black", marker="o",
                  label=data.sla_label)
    line.set_ylim(0, 105)
    line.set_ylabel(data.sla_label, fontproperties=props)
    handles, labels = ax.get_legend_handles_labels()
    more_handles, more_labels = line.get_legend_handles_labels()
    if handles or more_handles:
        ax.legend(handles + more_handles, labels + more_labels, prop=props, loc="upper left")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
