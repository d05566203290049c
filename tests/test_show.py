"""`deckmine show` prints deck text as written: square brackets in a slide are text, never rich
markup (a `[red]` stays, a stray `[/b]` does not crash the command), in the table view and in JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deckmine.pipeline.cli import main
from pptx import Presentation
from pptx.util import Inches

TRICKY = ["[red]x[/red]", "[/b]", "[bold]", ":smile:"]


def make_deck(path: Path) -> Path:
    """One slide: a title, a text box of markup-like lines, a table and speaker notes holding them."""
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "Title [bold]key[/bold]"
    frame = slide.shapes.add_textbox(Inches(0.5), Inches(1.5), Inches(9), Inches(2)).text_frame
    for number, line in enumerate(f"line {n}: {text}" for n, text in enumerate(TRICKY, 1)):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.text = line
    table = slide.shapes.add_table(2, 2, Inches(0.5), Inches(4), Inches(6), Inches(1)).table
    for (row, col), text in zip([(0, 0), (0, 1), (1, 0), (1, 1)], ["item", "[/b]count", "[red]a", "12"], strict=True):
        table.cell(row, col).text = text
    slide.notes_slide.notes_text_frame.text = "note [/red] [i]"
    presentation.save(str(path))
    return path


@pytest.fixture
def tricky_deck(tmp_path: Path) -> Path:
    return make_deck(tmp_path / "deck [red]1[bold].pptx")


def test_show_prints_markup_like_text_literally(tricky_deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["show", str(tricky_deck)])
    out, err = capsys.readouterr()
    assert code == 0, err
    for n, text in enumerate(TRICKY, 1):
        assert f"line {n}: {text}" in out
    assert "Title [bold]key[/bold]" in out  # the page heading
    assert "[/b]count" in out and "[red]a" in out  # table cells
    assert "note [/red] [i]" in out
    assert "deck [red]1[bold].pptx" in out  # the file's own name
    assert "\x1b[" not in out  # no colour leaked from the deck's brackets


def test_show_json_keeps_markup_like_text(tricky_deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["show", "--json", str(tricky_deck)])
    out, err = capsys.readouterr()
    assert code == 0, err
    document = json.loads(out)
    text = json.dumps(document, ensure_ascii=False)
    for n, line in enumerate(TRICKY, 1):
        assert f"line {n}: {line}" in text
    assert "[/b]count" in text and "note [/red] [i]" in text
    assert document["path"].endswith("deck [red]1[bold].pptx")
