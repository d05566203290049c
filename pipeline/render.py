"""Printing an extracted document for people (`deckmine show`) and as JSON for machines."""

from __future__ import annotations

import json

from rich import box
from rich.console import Console
from rich.table import Table

from extractors.model import ChartBlock, Document, NotesBlock, Page, TableBlock, TextBlock


def document_json(document: Document) -> str:
    return json.dumps(document.to_dict(), ensure_ascii=False, indent=2, default=str)


def print_document(document: Document, console: Console, pages: set[int] | None = None) -> None:
    console.print(
        f"[bold]{document.path}[/bold]  {document.file_type} · {document.page_count} pages · "
        f"sha256 {document.sha256[:12]}…",
        highlight=False,
    )
    for key in ("title", "author", "created"):
        if document.metadata.get(key):
            console.print(f"  {key}: {document.metadata[key]}", highlight=False)
    for warning in document.warnings:
        console.print(f"[yellow]! {warning}[/yellow]", highlight=False)
    for page in document.pages:
        if pages is None or page.number in pages:
            print_page(page, document.page_count, console)


def print_page(page: Page, page_count: int, console: Console) -> None:
    heading = f"page {page.number}/{page_count}"
    if page.title:
        heading += f" · {page.title}"
    console.rule(heading, align="left", style="cyan")
    for warning in page.warnings:
        console.print(f"[yellow]! {warning}[/yellow]", highlight=False)
    for block in page.blocks:
        flags = f" [dim]({', '.join(block.flags)})[/dim]" if block.flags else ""
        if isinstance(block, TextBlock):
            if block.is_title:
                continue
            console.print(block.text + flags, highlight=False)
        elif isinstance(block, TableBlock):
            console.print(f"[bold]table[/bold] {block.n_rows}×{block.n_cols}{flags}", highlight=False)
            console.print(table_grid(block))
        elif isinstance(block, ChartBlock):
            console.print(f"[bold]chart[/bold] {block.chart_type or ''} {block.title or ''}{flags}", highlight=False)
            console.print(chart_grid(block))
        elif isinstance(block, NotesBlock):
            console.print(f"[bold]notes[/bold] {block.text}", highlight=False)


def table_grid(block: TableBlock) -> Table:
    grid = Table(show_header=False, box=box.SQUARE, padding=(0, 1))
    for _ in range(block.n_cols):
        grid.add_column()
    for row in block.grid(fill_merged=False):
        grid.add_row(*[("" if cell is None else cell) for cell in row])
    return grid


def chart_grid(block: ChartBlock) -> Table:
    grid = Table(box=box.SIMPLE, padding=(0, 1))
    grid.add_column("series")
    for category in block.categories:
        grid.add_column(str(category), justify="right")
    for series in block.series:
        values = ["" if v is None else f"{v:g}" for v in series.values]
        name = series.name + (f" [{series.number_format}]" if series.number_format else "")
        grid.add_row(name, *values)
    return grid
