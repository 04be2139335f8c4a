"""The dashboard's SVG charts: one bar per bin, heights in proportion, every label escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.report.svg import bar_chart, bin_counts, histogram


def _bars(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    return [el for el in root.iter("rect") if el.get("class") == "bar"]


def test_bins_of_ten_put_a_full_grade_in_the_last_bin() -> None:
    assert bin_counts([0, 9.99, 10, 55, 99.5, 100], 10, 0, 100) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert bin_counts([-3, 140], 10, 0, 100) == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1], "outliers counted at the ends"


def test_histogram_has_one_bar_per_bin_even_an_empty_one() -> None:
    svg = histogram([5, 72, 75, 79, 100], 10, high=100)
    root = ET.fromstring(svg)
    assert root.get("class") == "histogram" and root.get("data-bins") == "10", root.attrib
    bars = _bars(svg)
    assert len(bars) == 10, "one rect per bin"
    counts = [int(b.get("data-count", "-1")) for b in bars]
    assert counts == [1, 0, 0, 0, 0, 0, 0, 3, 0, 1], counts
    heights = [float(b.get("height", "-1")) for b in bars]
    assert heights[1] == 0 and heights[7] > 0, "an empty bin is still drawn, height 0"
    assert abs(heights[0] * 3 - heights[7]) < 0.05 and heights[0] == heights[9], f"proportional: {heights}"
    assert all(b.find("title") is not None for b in bars), "every bar has a tooltip"
    assert bars[7].find("title").text == "70–80: 3", bars[7].find("title").text  # type: ignore[union-attr]
    texts = [t.text for t in root.iter("text")]
    assert "0" in texts and "100" in texts and "50" in texts, f"axis ticks at the bin edges: {texts}"


def test_histogram_tooltips_and_labels_come_from_the_caller_escaped() -> None:
    svg = histogram([1], 2, high=20, title="<script>alert(1)</script>", x_label="成绩 & <b>",
                    tooltip=lambda lo, hi, n: f"{lo:g}-{hi:g}: {n} <i>students</i>")
    assert "<script" not in svg and "<b>" not in svg and "<i>" not in svg, svg
    assert "&lt;script&gt;" in svg and "成绩 &amp; &lt;b&gt;" in svg
    bars = _bars(svg)
    assert [b.find("title").text for b in bars] == ["0-10: 1 <i>students</i>", "10-20: 0 <i>students</i>"]  # type: ignore[union-attr]
    assert "system-ui" in svg and not re.search(r"https?://|@font-face|url\(", svg), "no font file, no URL"


def test_bar_chart_bars_are_proportional_and_labels_escaped() -> None:
    svg = bar_chart(["01_udp/udp_server", "<script>x</script>", "练习"], [100, 50, 0], high=100,
                    value_text=["8/8", "4/8", "0/8"])
    assert "<script" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg, "a label is text, never markup"
    bars = _bars(svg)
    assert len(bars) == 3, "one bar per label"
    widths = [float(b.get("width", "-1")) for b in bars]
    assert widths[2] == 0 and abs(widths[0] - 2 * widths[1]) < 0.05, widths
    assert [b.get("data-value") for b in bars] == ["100", "50", "0"]
    assert "练习" in svg and "4/8" in svg
