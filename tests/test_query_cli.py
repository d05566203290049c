"""`deckmine query` and `deckmine stats` as a user sees them: what each format prints, statement
splitting, NULLs, CJK alignment, deck text that looks like rich markup, and no pandas on the way."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from deckmine.pipeline.cli import main
from deckmine.warehouse.queries import split_statements, statement_complete
from rich.cells import cell_len

from tests.conftest import ROOT

MARKUP = "[red]x[/red] [/b] [link=file:///etc/passwd]y[/link] :smile:"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse holding two hand-made documents: CJK names, a markup-looking title, NULLs."""
    from deckmine.warehouse.db import connect

    db = tmp_path_factory.mktemp("query") / "small.duckdb"
    con = connect(db)
    con.execute(
        "INSERT INTO documents (document_id, path, file_name, file_type, size_bytes, page_count, title,"
        " county, report_date, warnings, ingested_at) VALUES"
        " ('a1', '/d/臺東縣簡報.pdf', '臺東縣簡報.pdf', 'pdf', 1234, 2, ?, '臺東縣', DATE '2024-03-05',"
        "  ['字型缺漏'], TIMESTAMP '2024-03-06 07:08:09'),"
        " ('b2', '/d/x.pptx', 'x.pptx', 'pptx', NULL, 1, NULL, NULL, NULL, NULL, TIMESTAMP '2024-03-06 07:08:09')",
        [MARKUP],
    )
    con.execute(
        "INSERT INTO pages (document_id, page, width, height, title, text) VALUES"
        " ('a1', 1, 960.0, 540.0, '策略一：強化社會安全網', '進用率 85.5%'),"
        " ('a1', 2, NULL, 540.0, NULL, NULL), ('b2', 1, 720.5, 405.0, 'Plan', 'ok')"
    )
    con.close()
    return db


def query(db: Path, capsys: pytest.CaptureFixture[str], sql: str, fmt: str = "table") -> str:
    assert main(["query", sql, "--db", str(db), "--format", fmt]) == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


# --------------------------------------------------------------------------- statement splitting


def test_a_semicolon_and_line_break_inside_a_string_is_one_statement(
    small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert query(small_db, capsys, "SELECT ';\n' AS x;", "csv") == 'x\n";\n"\n'
    assert json.loads(query(small_db, capsys, "SELECT ';\n' AS x;", "json")) == [{"x": ";\n"}]


def test_a_script_splits_only_at_statement_ends(
    small_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "s.sql"
    script.write_text(
        "-- first: a string with ; and a line break\n"
        "SELECT ';\n' AS x;  -- trailing remark\n"
        "\n"
        "-- second\n-- (two heading lines)\n"
        "SELECT 'a;b' AS \"c;d\" /* ; */ ;\n"
        "SELEC broken;\n"
        "-- last, no semicolon\n"
        "SELECT 3 AS z\n",
        encoding="utf-8",
    )
    assert main(["query", "--file", str(script), "--db", str(small_db), "--format", "csv"]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        "-- first: a string with ; and a line break\n"
        'x\n";\n"\n\n'
        "-- second (two heading lines)\n"
        "c;d\na;b\n\n"
        "--\n\n"
        "-- last, no semicolon\n"
        "z\n3\n\n"
    )
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{script}: Parser Error"), err


def test_split_statements_and_statement_complete() -> None:
    assert split_statements("SELECT ';\n' AS x; SELECT 2;") == [("", "SELECT ';\n' AS x;"), ("", "SELECT 2;")]
    assert split_statements("-- only a comment\n;;\n") == []
    assert split_statements("-- 進用率\nSELECT '臺東縣;' AS 縣市; -- 註\n-- 第二\nSELECT 2") == [
        ("進用率", "SELECT '臺東縣;' AS 縣市;"), ("第二", "SELECT 2"),
    ]
    assert statement_complete("SELECT '臺東縣' AS 縣市;") and not statement_complete("SELECT '臺東縣;")
    assert statement_complete("SELECT 1;")
    assert statement_complete("SELECT 1; -- done")
    assert not statement_complete("SELECT ';")
    assert not statement_complete("SELECT 1")
    assert not statement_complete("SELECT 1 -- ;")


def test_the_example_script_runs_every_statement(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """warehouse/examples.sql (what `make demo` runs): CJK before a `;` must not shift the split."""
    assert main(["query", "--file", str(ROOT / "warehouse" / "examples.sql"), "--db", str(sample_db)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    headings = [line for line in captured.out.splitlines() if line.startswith("-- ")]
    assert headings[0].startswith("-- 進用率 (hiring rate)") and len(headings) == 3, headings


def test_the_prompt_waits_for_the_end_of_a_string(
    small_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines: Iterator[str] = iter(["SELECT 'a;", "b' AS s;", ".quit"])
    monkeypatch.setattr("builtins.input", lambda _prompt="": next(lines))
    assert main(["query", "--db", str(small_db), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "s\n\"a;\nb\"\n" in out and "error" not in out


# --------------------------------------------------------------------------- NULL


NULLS = ("SELECT NULL::INTEGER AS i, NULL::VARCHAR AS v, NULL::DOUBLE AS f, NULL::DECIMAL(18,3) AS d, "
         "NULL::DATE AS day, NULL::VARCHAR[] AS l, 'x' AS present")


def test_null_is_empty_in_csv(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert query(small_db, capsys, NULLS, "csv") == "i,v,f,d,day,l,present\n,,,,,,x\n"


def test_null_is_null_in_json(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert json.loads(query(small_db, capsys, NULLS, "json")) == [
        {"i": None, "v": None, "f": None, "d": None, "day": None, "l": None, "present": "x"}
    ]


def test_null_is_one_marker_in_table_and_md(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = query(small_db, capsys, NULLS).splitlines()
    assert table[-1].split() == ["NULL"] * 6 + ["x"]
    assert "NaN" not in "".join(table) and "None" not in "".join(table) and "<NA>" not in "".join(table)
    md = query(small_db, capsys, NULLS, "md").splitlines()
    assert md[-1] == "| NULL | NULL | NULL | NULL | NULL | NULL | x |"


def test_null_in_a_warehouse_column(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT page, width, title FROM pages WHERE document_id = 'a1' ORDER BY page"
    assert query(small_db, capsys, sql, "csv") == "page,width,title\n1,960.0,策略一：強化社會安全網\n2,,\n"
    assert query(small_db, capsys, sql).splitlines()[-1].split() == ["2", "NULL", "NULL"]


# --------------------------------------------------------------------------- table layout


def test_cjk_table_lines_have_one_display_width(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = ("SELECT d.county, d.file_name, p.page, p.title, p.text FROM pages p JOIN documents d "
           "USING (document_id) ORDER BY d.document_id, p.page")
    lines = query(small_db, capsys, sql).splitlines()
    assert len(lines) == 2 + 3  # header, rule, three rows
    assert len({cell_len(line) for line in lines}) == 1, [cell_len(line) for line in lines]
    title_column = cell_len(lines[0][: lines[0].index("title")])
    row = next(line for line in lines if "策略一" in line)
    assert cell_len(row[: row.index("策略一")]) == title_column
    assert "臺東縣簡報.pdf" in row and "進用率 85.5%" in row


def test_numbers_are_right_aligned(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = query(small_db, capsys, "SELECT * FROM (VALUES (1, 'a'), (1234, 'b')) t(n, s)").splitlines()
    assert lines[2].startswith("   1") and lines[3].startswith("1234")


def test_deck_text_is_never_markup(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("table", "md", "csv"):
        out = query(small_db, capsys, "SELECT title, '[/b]' AS \"[bold]h[/bold]\" FROM documents WHERE title IS NOT NULL", fmt)
        assert MARKUP.replace("|", "\\|") in out, (fmt, out)
        assert "[bold]h[/bold]" in out and "[/b]" in out
    assert query(small_db, capsys, "SELECT '[/b]' AS x").splitlines()[-1] == "[/b]"


def test_control_characters_are_shown_not_sent_to_the_terminal(
    small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = query(small_db, capsys, "SELECT 'a' || chr(27) || '[2Jb' || chr(9) || 'c' AS x")
    assert "\x1b" not in out and "a\\x1b[2Jb\\tc" in out


# --------------------------------------------------------------------------- csv and json


def test_csv_has_no_blank_line_at_the_end(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = query(small_db, capsys, "SELECT document_id, page FROM pages ORDER BY ALL", "csv")
    assert out.endswith("b2,1\n") and not out.endswith("\n\n")
    assert out.splitlines()[-1] == "b2,1"


def test_csv_quotes_what_needs_quoting(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = query(small_db, capsys, "SELECT 'a,b' AS x, 'say \"hi\"' AS y, '' AS empty, true AS yes", "csv")
    assert out == 'x,y,empty,yes\n"a,b","say ""hi""",,true\n'


def test_json_is_one_array_of_objects_with_exact_values(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = ("SELECT file_name, size_bytes, report_date, ingested_at, warnings, 12.345::DECIMAL(18,3) AS share, "
           "12345678901234.567::DECIMAL(18,3) AS big, 0.1::DOUBLE AS f, 'nan'::DOUBLE AS nan, "
           "{'a': 1, 'b': [true, NULL]} AS s FROM documents ORDER BY document_id")
    out = query(small_db, capsys, sql, "json")
    rows = json.loads(out, parse_float=Decimal)
    assert rows[0] == {
        "file_name": "臺東縣簡報.pdf", "size_bytes": 1234, "report_date": "2024-03-05",
        "ingested_at": "2024-03-06T07:08:09", "warnings": ["字型缺漏"], "share": Decimal("12.345"),
        "big": Decimal("12345678901234.567"), "f": Decimal("0.1"), "nan": None, "s": {"a": 1, "b": [True, None]},
    }
    assert rows[1]["size_bytes"] is None and rows[1]["warnings"] is None
    assert "臺東縣" in out  # not \u escapes
    assert query(small_db, capsys, "SELECT 1 AS x WHERE false", "json") == "[]\n"


def test_an_empty_result_prints_its_header(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT page, title FROM pages WHERE false"
    assert query(small_db, capsys, sql, "csv") == "page,title\n"
    assert query(small_db, capsys, sql).splitlines()[0].split() == ["page", "title"]


# --------------------------------------------------------------------------- stats


def test_stats_prints_every_section(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(small_db)]) == 0
    out = capsys.readouterr().out
    for title in ("totals", "by county", "by strategy", "by year", "findings"):
        assert f"## {title}\n" in out
    totals = out.split("## totals\n")[1].splitlines()
    assert totals[0].split() == ["documents", "pages", "metrics", "findings"]
    assert totals[2].split() == ["2", "3", "0", "0"]
    assert main(["stats", "--db", str(small_db), "--format", "csv"]) == 0
    assert "## totals\ndocuments,pages,metrics,findings\n2,3,0,0\n\n## by county" in capsys.readouterr().out


# --------------------------------------------------------------------------- no pandas


def test_query_stats_and_export_never_import_pandas(small_db: Path, tmp_path: Path) -> None:
    script = f"""
import contextlib, io, sys
from deckmine.pipeline import cli
from deckmine.warehouse import queries
assert "pandas" not in sys.modules, "import"
with contextlib.redirect_stdout(io.StringIO()):
    with contextlib.suppress(SystemExit):
        cli.main(["--help"])
    for fmt in ("table", "csv", "json", "md"):
        assert cli.main(["query", "SELECT * FROM documents", "--db", {str(small_db)!r}, "-f", fmt]) == 0
        assert cli.main(["stats", "--db", {str(small_db)!r}, "-f", fmt]) == 0
    for fmt in ("csv", "parquet"):
        assert cli.main(["export", {str(tmp_path)!r} + "/" + fmt, "--db", {str(small_db)!r}, "-f", fmt]) == 0
heavy = sorted(name for name in ("pandas", "numpy", "pyarrow") if name in sys.modules)
assert not heavy, heavy
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
