"""README documents every command and every option, as sqlite-utils' docs test does: a new option
without a word in README fails here."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from deckmine.pipeline.cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def shared_options() -> str:
    """The Commands introduction, where options every command takes (`--db`) are documented once."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Commands\n.*?(?=^### )", text, flags=re.S | re.M)
    assert match, "README has no Commands section"
    return match.group(0)


def section(command: str) -> str:
    """The README section `### \\`deckmine COMMAND ...\\`` up to the next heading of its level."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^### `deckmine {command}\b.*?(?=^##+ |\Z)", text, flags=re.S | re.M)
    assert match, f"README has no section for `deckmine {command}`"
    return match.group(0)


@pytest.mark.parametrize("command", sorted(commands()))
def test_readme_documents_every_option(command: str) -> None:
    text = section(command) + shared_options()
    options = [
        option
        for action in commands()[command]._actions
        for option in action.option_strings
        if option.startswith("--") and option not in ("--help", "--debug")
    ]
    missing = [option for option in options if f"`{option}" not in text and f"{option} " not in text]
    assert not missing, f"README's `deckmine {command}` section does not mention {missing}"


@pytest.mark.parametrize("command", sorted(commands()))
def test_every_option_has_help(command: str) -> None:
    unexplained = [
        action.dest
        for action in commands()[command]._actions
        if not action.help and not isinstance(action, argparse._HelpAction)
    ]
    assert not unexplained, f"`deckmine {command}`: options without --help text: {unexplained}"


def test_debug_and_db_are_documented_once_for_all() -> None:
    text = shared_options()
    assert "`--debug`" in text
    assert "`--db FILE`" in text
