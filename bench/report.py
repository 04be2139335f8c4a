"""The Markdown of ``bench/RESULTS.md``: a header about the machine, then one block per section.

Why sections between markers: ``--only SECTION`` re-measures one section and keeps the
others' last results in the file (each block says when and how it was measured), so a
targeted change can be re-measured without the hour a full run takes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BEGIN = "<!-- bench:{name} -->"
END = "<!-- /bench:{name} -->"
HEADER_END = "<!-- /bench:header -->"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        if len(cells) != len(self.headers):
            raise ValueError(f"a row of {len(cells)} cells in a table of {len(self.headers)} columns")
        self.rows.append([str(c) for c in cells])

    def markdown(self) -> str:
        lines = ["| " + " | ".join(self.headers) + " |", "|" + "|".join("---" for _ in self.headers) + "|"]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@dataclass
class Section:
    """What one section measured: tables with a sentence or two around them."""

    name: str
    title: str
    intro: str = ""
    how: str = ""
    """When and how it was measured (runs, counts): printed under the title."""
    blocks: list[str | Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        out = [BEGIN.format(name=self.name), f"## {self.title}", ""]
        if self.how:
            out += [f"_{self.how}_", ""]
        if self.intro:
            out += [self.intro, ""]
        for block in self.blocks:
            out += [block.markdown() if isinstance(block, Table) else block, ""]
        out += [f"- {note}" for note in self.notes]
        if self.notes:
            out.append("")
        out.append(END.format(name=self.name))
        return "\n".join(out)


def header(lines: Sequence[str]) -> str:
    return "\n".join(["# netlings benchmarks", "", *lines, "", HEADER_END])


def merge(existing: str, head: str, sections: Sequence[Section], order: Sequence[str]) -> str:
    """The new file: ``head``, then every section in ``order``, new ones replacing old blocks."""
    new = {s.name: s.markdown() for s in sections}
    old = {}
    for name in order:
        match = re.search(
            re.escape(BEGIN.format(name=name)) + r".*?" + re.escape(END.format(name=name)),
            existing,
            flags=re.S,
        )
        if match:
            old[name] = match.group(0)
    blocks = [new.get(name) or old.get(name) for name in order]
    return "\n\n".join([head, *[b for b in blocks if b]]) + "\n"


def write(path: Path, head: str, sections: Sequence[Section], order: Sequence[str]) -> None:
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(merge(existing, head, sections, order), encoding="utf-8")
    tmp.replace(path)
