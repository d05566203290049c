"""Build small documents by hand for the miner tests (no file needed)."""

from __future__ import annotations

from deckmine.extractors.model import (
    BBox,
    ChartBlock,
    ChartSeries,
    Document,
    NotesBlock,
    Page,
    TableBlock,
    TableCell,
    TextBlock,
    TextLine,
)


def text(page: int, *lines: str, title: bool = False, bbox: BBox | None = None) -> TextBlock:
    return TextBlock(page=page, bbox=bbox, lines=[TextLine(line) for line in lines], is_title=title)


def table(page: int, rows: list[list[str]], merged: dict[tuple[int, int], tuple[int, int]] | None = None) -> TableBlock:
    merged = merged or {}
    cells = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value == "~":
                continue
            row_span, col_span = merged.get((r, c), (1, 1))
            cells.append(TableCell(r, c, value, row_span, col_span))
    return TableBlock(page=page, bbox=None, n_rows=len(rows), n_cols=len(rows[0]), cells=cells)


def chart(page: int, title: str, categories: list[str], series: dict[str, list[float | None]],
          number_format: str | None = None) -> ChartBlock:
    return ChartBlock(page=page, bbox=None, title=title, categories=categories,
                      series=[ChartSeries(name, values, number_format) for name, values in series.items()])


def notes(page: int, body: str) -> NotesBlock:
    return NotesBlock(page=page, bbox=None, body=body)


def document(*pages: list, path: str = "deck.pptx", file_type: str = "pptx",
             titles: list[str] | None = None) -> Document:
    built = []
    for number, blocks in enumerate(pages, start=1):
        title = (titles or [None] * len(pages))[number - 1]
        if title:
            blocks = [text(number, title, title=True), *blocks]
        for block in blocks:
            block.page = number
        built.append(Page(number=number, width=960, height=540, title=title, blocks=blocks))
    return Document(path=path, sha256="0" * 64, file_type=file_type, pages=built)  # type: ignore[arg-type]


COVER = [text(1, "花蓮縣強化社會安全網計畫 113年執行成果報告"), text(1, "報告單位：花蓮縣政府社會處", "113年8月20日(二)")]
