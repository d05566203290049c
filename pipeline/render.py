"""Printing an extracted document for people (`deckmine show`) and as JSON for machines.

Deck text is never rich markup: every piece of it (path, metadata, warnings, titles, text, cells,
chart categories and series names) goes to the console as `rich.text.Text`, so a slide line such as
`[red]x[/red]`, `[/b]` or `:smile:` prints as written; only deckmine's own labels are styled.
"""

from __future__ import annotations

import json

from deckmine.extractors.model import ChartBlock, Document, NotesBlock, Page, TableBlock, TextBlock
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text


def document_json(document: Document) -> str:
    return json.dumps(document.to_dict(), ensure_ascii=False, indent=2, default=str)


def print_document(document: Document, console: Console, pages: set[int] | None = None) -> None:
    console.print(
        Text.assemble(
            (str(document.path), "bold"),
            f"  {document.file_type} · {document.page_count} pages · sha256 {document.sha256[:12]}…",
        )
    )
    for key in ("title", "author", "created"):
        if document.metadata.get(key):
            console.print(Text(f"  {key}: {document.metadata[key]}"))
    for warning in document.warnings:
        console.print(_warning(warning))
    for page in document.pages:
        if pages is None or page.number in pages:
            print_page(page, document.page_count, console)


def print_page(page: Page, page_count: int, console: Console) -> None:
    heading = f"page {page.number}/{page_count}"
    if page.title:
        heading += f" · {page.title}"
    console.rule(Text(heading), align="left", style="cyan")
    for warning in page.warnings:
        console.print(_warning(warning))
    for block in page.blocks:
        flags = Text.assemble(" ", (f"({', '.join(block.flags)})", "dim")) if block.flags else Text()
        if isinstance(block, TextBlock):
            if block.is_title:
                continue
            console.print(Text.assemble(block.text, flags))
        elif isinstance(block, TableBlock):
            console.print(Text.assemble(("table", "bold"), f" {block.n_rows}×{block.n_cols}", flags))
            console.print(table_grid(block))
        elif isinstance(block, ChartBlock):
            label = f" {block.chart_type or ''} {block.title or ''}"
            console.print(Text.assemble(("chart", "bold"), label, flags))
            console.print(chart_grid(block))
        elif isinstance(block, NotesBlock):
            console.print(Text.assemble(("notes", "bold"), f" {block.text}"))


def _warning(warning: str) -> Text:
    return Text(f"! {warning}", style="yellow")


def table_grid(block: TableBlock) -> Table:
    grid = Table(show_header=False, box=box.SQUARE, padding=(0, 1))
    for _ in range(block.n_cols):
        grid.add_column()
    for row in block.grid(fill_merged=False):
        grid.add_row(*[Text("" if cell is None else cell) for cell in row])
    return grid


def chart_grid(block: ChartBlock) -> Table:
    grid = Table(box=box.SIMPLE, padding=(0, 1))
    grid.add_column("series")
    for category in block.categories:
        grid.add_column(Text(str(category)), justify="right")
    for series in block.series:
        values = ["" if v is None else f"{v:g}" for v in series.values]
        name = series.name + (f" [{series.number_format}]" if series.number_format else "")
        grid.add_row(Text(name), *values)
    return grid
