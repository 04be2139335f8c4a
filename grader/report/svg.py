"""A small SVG chart writer: a histogram and a horizontal bar chart, as inline ``<svg>`` text.

Why our own and not matplotlib: the class dashboard (``summary.html``) must be one
self-contained page that opens anywhere, with no network and no JavaScript, and the
grader must not pull a plotting stack into every Gradescope container for two charts.
Two chart types of a few rectangles each are about a hundred lines of plain SVG, which
any browser draws and a test can read (``class``/``data-*`` attributes, one ``<title>``
tooltip per bar).

Safety: every text (labels, tooltips, titles) may hold a student's or a suite's words, so
each goes through :func:`~grader.report.safe_text.html_text` (XML-safe: ``<``, ``&``,
quotes). Numbers are formatted here, never taken as text.

Fonts: ``font-family: system-ui, sans-serif`` and no font file, so the reader's own fonts
draw Chinese labels as well as Latin ones. No ``xmlns``: these charts live inside an HTML
page, where the parser gives ``<svg>`` its namespace, and the page then names no URL at all.

The histogram's contract (a browser test reads it): ``<svg class="histogram"
data-bins="N">`` holding exactly ``N`` ``<rect class="bar" data-count="k">`` elements in
bin order, one per bin, a bin with no value included (height 0), each with a ``<title>``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .safe_text import html_text

FONT = "font-family: system-ui, sans-serif; font-size: 12px"
BAR_COLOUR = "#4a7fc1"
AXIS_COLOUR = "#555"


def _num(value: float) -> str:
    """A coordinate or tick: ``12`` or ``12.5``, never ``12.000000001``."""
    rounded = round(float(value), 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def bin_counts(values: Sequence[float], bins: int, low: float, high: float) -> list[int]:
    """How many values fall in each of ``bins`` equal bins over ``[low, high]``.

    A bin holds its lower edge and not its upper one, except the last, which holds ``high``
    too (a grade of exactly 100 is counted in 90–100). Values outside are put in the
    nearest end bin: every value is counted once.
    """
    bins = max(1, int(bins))
    counts = [0] * bins
    width = (high - low) / bins if high > low else 1.0
    for value in values:
        index = math.floor((float(value) - low) / width) if math.isfinite(value) else 0
        counts[min(max(index, 0), bins - 1)] += 1
    return counts


def histogram(values: Sequence[float], bins: int, *, low: float = 0.0, high: float = 100.0,
              title: str = "", x_label: str = "", y_label: str = "",
              tooltip: Callable[[float, float, int], str] | None = None,
              width: int = 640, height: int = 280) -> str:
    """An ``<svg class="histogram">`` of ``values`` in ``bins`` equal bins over ``[low, high]``.

    ``title`` is the chart's accessible name (``aria-label``; the page's heading shows it);
    ``tooltip(bin_low, bin_high, count)`` gives each bar's ``<title>`` (the caller's
    language); default ``"70–80: 3"``. Bar heights are proportional to the counts, the
    tallest reaching the top of the plot.
    """
    counts = bin_counts(values, bins, low, high)
    bins = len(counts)
    tooltip = tooltip or (lambda a, b, n: f"{_num(a)}–{_num(b)}: {n}")
    left, right, top, bottom = 44, 12, 20, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    tallest = max(counts) or 1
    step = plot_w / bins
    edge = (high - low) / bins
    out = [f'<svg class="histogram" data-bins="{bins}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html_text(title)}" style="{FONT}">']
    for i, count in enumerate(counts):
        bar_h = plot_h * count / tallest
        x, y = left + i * step, top + plot_h - bar_h
        out.append(f'<rect class="bar" data-count="{count}" x="{_num(x + 1)}" y="{_num(y)}" '
                   f'width="{_num(max(step - 2, 1))}" height="{_num(bar_h)}" fill="{BAR_COLOUR}">'
                   f"<title>{html_text(tooltip(low + i * edge, low + (i + 1) * edge, count))}</title></rect>")
        if count:
            out.append(f'<text x="{_num(x + step / 2)}" y="{_num(y - 3)}" text-anchor="middle">'
                       f"{count}</text>")
    out += _axes(left, top, plot_w, plot_h)
    for i in range(bins + 1):  # a tick at every bin edge
        x = left + i * step
        out.append(f'<text x="{_num(x)}" y="{_num(top + plot_h + 14)}" text-anchor="middle">'
                   f"{_num(low + i * edge)}</text>")
    out.append(f'<text x="{left - 6}" y="{_num(top + plot_h)}" text-anchor="end">0</text>')
    out.append(f'<text x="{left - 6}" y="{_num(top + 10)}" text-anchor="end">{tallest}</text>')
    if x_label:
        out.append(f'<text x="{_num(left + plot_w / 2)}" y="{height - 6}" text-anchor="middle">'
                   f"{html_text(x_label)}</text>")
    if y_label:
        out.append(f'<text transform="translate(12 {_num(top + plot_h / 2)}) rotate(-90)" '
                   f'text-anchor="middle">{html_text(y_label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _axes(left: float, top: float, plot_w: float, plot_h: float) -> list[str]:
    base = top + plot_h
    return [f'<line x1="{_num(left)}" y1="{_num(base)}" x2="{_num(left + plot_w)}" y2="{_num(base)}" '
            f'stroke="{AXIS_COLOUR}"/>',
            f'<line x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left)}" y2="{_num(base)}" '
            f'stroke="{AXIS_COLOUR}"/>']


def _text_width(text: str) -> float:
    """Rough width in pixels at 12 px: wide (CJK) characters count about twice a Latin one."""
    return sum(12 if ord(ch) > 0x2E80 else 7 for ch in text)


def bar_chart(labels: Sequence[str], values: Sequence[float], *, high: float = 100.0, title: str = "",
              x_label: str = "", value_text: Sequence[str] | None = None,
              tooltips: Sequence[str] | None = None, width: int = 640, row: int = 22) -> str:
    """An ``<svg class="bar-chart">``: one horizontal bar per label, its length ``value / high``.

    ``value_text`` is written at each bar's end (default: the value); ``tooltips`` are the
    bars' ``<title>`` (default: ``label: value``). Horizontal so that long exercise ids stay
    readable; each ``<rect class="bar">`` carries ``data-value``.
    """
    labels = [str(x) for x in labels]
    shown = list(value_text) if value_text is not None else [_num(v) for v in values]
    tips = list(tooltips) if tooltips is not None else [f"{a}: {b}" for a, b in
                                                        zip(labels, shown, strict=True)]
    label_w = min(280, int(max((_text_width(x) for x in labels), default=0)) + 10)
    top = 8
    left, right, bottom = label_w, 110, 36 if x_label else 20
    plot_w = max(width - left - right, 50)
    height = top + row * len(labels) + bottom
    out = [f'<svg class="bar-chart" data-bars="{len(labels)}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html_text(title)}" style="{FONT}">']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row
        share = min(max(float(value) / high, 0.0), 1.0) if high > 0 else 0.0
        bar_w = plot_w * share
        baseline = _num(y + row * 0.7)
        out.append(f'<text x="{left - 6}" y="{baseline}" text-anchor="end">{html_text(label)}</text>')
        out.append(f'<rect class="bar" data-value="{_num(value)}" x="{left}" y="{_num(y + 3)}" '
                   f'width="{_num(bar_w)}" height="{row - 6}" fill="{BAR_COLOUR}">'
                   f"<title>{html_text(tips[i])}</title></rect>")
        out.append(f'<text x="{_num(left + bar_w + 4)}" y="{baseline}">{html_text(shown[i])}</text>')
    base = top + row * len(labels)
    out += _axes(left, top, plot_w, base - top)
    for tick in (0, 0.5, 1):
        out.append(f'<text x="{_num(left + plot_w * tick)}" y="{_num(base + 14)}" text-anchor="middle">'
                   f"{_num(high * tick)}</text>")
    if x_label:
        out.append(f'<text x="{_num(left + plot_w / 2)}" y="{height - 6}" text-anchor="middle">'
                   f"{html_text(x_label)}</text>")
    out.append("</svg>")
    return "\n".join(out)


__all__ = ["bar_chart", "bin_counts", "histogram"]
