"""`.odp` and `.ppt` decks read through LibreOffice: the renditions of the six original corpus decks
give the PPTX's figures with the same links, the converter never leaves a process behind, and a
machine without LibreOffice gets one line per such file while the batch goes on."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from deckmine.extractors import check_file, extract, sha256_of
from deckmine.extractors.convert import (
    converted,
    converted_many,
    find_soffice,
    read_as_original,
)
from deckmine.extractors.model import Document, ExtractionError
from deckmine.patterns.mine import mine_document

from tests.conftest import DECKS, ROOT

RENDITIONS = ROOT / "corpus" / "renditions"
ORIGINAL_DECKS = ("taitung-112", "taichung-112", "penghu-111", "hualien-113", "pingtung-113", "yilan-112")
NEEDS_LIBREOFFICE = "reading {} needs LibreOffice (apt-get install libreoffice-impress)"

needs_soffice = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-impress"
)


def _figures(document: Document, linked: bool = False) -> Counter[tuple[object, ...]]:
    out: Counter[tuple[object, ...]] = Counter()
    for metric in mine_document(document).metrics:
        key: tuple[object, ...] = (metric.page, round(metric.value, 6), metric.unit)
        if linked:
            key += (metric.county, metric.strategy, metric.year, metric.kind)
        out[key] += 1
    return out


@pytest.fixture(scope="module")
def renditions() -> dict[str, Document]:
    """Every committed rendition read the way `extract` reads it, converted in one LibreOffice run
    (one start-up for the twelve files instead of twelve)."""
    paths = [RENDITIONS / f"{name}.{kind}" for name in ORIGINAL_DECKS for kind in ("odp", "ppt")]
    documents: dict[str, Document] = {}
    with converted_many(paths, ".pptx") as results:
        for path, result in zip(paths, results, strict=True):
            if isinstance(result, ExtractionError):
                pytest.fail(f"{path.name}: {result}")
            documents[path.name] = read_as_original(result, path, sha256_of(path), path.suffix[1:])
    return documents


@functools.cache
def _original(name: str) -> tuple[Counter[tuple[object, ...]], Counter[tuple[object, ...]], int, str | None]:
    document = extract(DECKS / f"{name}.pptx")
    county = mine_document(document).deck_info()["county"]
    return _figures(document), _figures(document, linked=True), document.page_count, county


@needs_soffice
@pytest.mark.parametrize("kind", ["odp", "ppt"])
@pytest.mark.parametrize("name", ORIGINAL_DECKS)
def test_renditions_give_the_pptx_figures_with_the_same_links(
    renditions: dict[str, Document], name: str, kind: str
) -> None:
    expected, expected_links, page_count, county = _original(name)
    rendition = renditions[f"{name}.{kind}"]
    assert rendition.file_type == kind
    assert rendition.page_count == page_count
    got, got_links = _figures(rendition), _figures(rendition, linked=True)
    assert sum((expected & got).values()) >= 0.98 * sum(expected.values()), (expected - got)
    assert sum(got.values()) <= 1.02 * sum(expected.values()), (got - expected)
    assert sum((expected_links & got_links).values()) >= 0.98 * sum(expected_links.values())
    assert mine_document(rendition).deck_info()["county"] == county


@needs_soffice
def test_extract_in_parallel_keeps_path_hash_type_charts_and_notes() -> None:
    """Two conversions at once (as two workers would run them) do not share an instance; the
    document is the original file's, with its charts and notes."""
    names = ("penghu-111.odp", "yilan-112.ppt")
    results: dict[str, Document | BaseException] = {}

    def convert(name: str) -> None:
        try:
            results[name] = extract(RENDITIONS / name)
        except BaseException as exc:  # reported below
            results[name] = exc

    threads = [threading.Thread(target=convert, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name in names:
        document = results[name]
        assert isinstance(document, Document), document
        path = RENDITIONS / name
        assert (document.path, document.sha256, document.file_type) == (str(path), sha256_of(path), path.suffix[1:])
        assert document.metadata["converted_by"] == "LibreOffice"
        assert {"text", "table", "chart", "notes"} <= {block.kind for block in document.blocks()}
    penghu = results["penghu-111.odp"]
    assert isinstance(penghu, Document)
    chart = next(block for block in penghu.pages[2].blocks if block.kind == "chart")
    assert chart.title == "脆弱家庭服務涵蓋率"


# --------------------------------------------------------------------------- file checks


def test_files_that_are_not_what_their_extension_says(tmp_path: Path) -> None:
    html = tmp_path / "page.odp"
    html.write_text("<!DOCTYPE html><html></html>")
    pptx_named_odp = tmp_path / "deck.odp"
    pptx_named_odp.write_bytes((DECKS / "penghu-111.pptx").read_bytes())
    text = tmp_path / "writer.odp"
    with zipfile.ZipFile(text, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    zip_ppt = tmp_path / "deck.ppt"
    zip_ppt.write_bytes((DECKS / "penghu-111.pptx").read_bytes())
    cases = {
        html: "not an ODP: the file is HTML",
        pptx_named_odp: "not an ODP: the file is a PPTX with the wrong extension",
        text: "not an ODP presentation (the zip archive holds application/vnd.oasis.opendocument.text)",
        zip_ppt: "not a PPT: the file is a zip archive",
    }
    for path, message in cases.items():
        with pytest.raises(ExtractionError) as caught:
            check_file(path)
        assert str(caught.value).startswith(message), path.name
    assert check_file(RENDITIONS / "penghu-111.odp") == "odp"
    assert check_file(RENDITIONS / "penghu-111.ppt") == "ppt"


def test_an_odp_zip_bomb_is_refused_before_libreoffice_sees_it(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.odp"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.presentation")
        with archive.open("content.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(70):  # 70 MB of blanks from about 70 KB
                member.write(block)
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(ExtractionError) as caught:
        check_file(bomb)
    assert "content.xml" in str(caught.value) and "zip bomb" in str(caught.value)


def test_without_libreoffice_each_file_gets_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DECKMINE_SOFFICE", "")
    for kind in ("odp", "ppt"):
        with pytest.raises(ExtractionError) as caught:
            extract(RENDITIONS / f"penghu-111.{kind}")
        assert str(caught.value) == NEEDS_LIBREOFFICE.format(f".{kind}")


def test_ingest_without_libreoffice_reports_the_file_and_goes_on(tmp_path: Path) -> None:
    """The batch runs in a fresh process whose environment says LibreOffice is missing."""
    folder = tmp_path / "decks"
    folder.mkdir()
    for name in ("penghu-111.odp", "penghu-111.ppt"):
        (folder / name).write_bytes((RENDITIONS / name).read_bytes())
    (folder / "penghu-111.pdf").write_bytes((DECKS / "penghu-111.pdf").read_bytes())
    db = tmp_path / "w.duckdb"
    environment = {**os.environ, "DECKMINE_SOFFICE": ""}
    run = subprocess.run(
        [sys.executable, "-m", "deckmine.pipeline.cli", "ingest", str(folder), "--db", str(db), "--jobs", "1", "--quiet"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )
    lines = run.stderr.strip().splitlines()
    assert sorted(lines) == [
        f"{folder / 'penghu-111.odp'}: {NEEDS_LIBREOFFICE.format('.odp')}",
        f"{folder / 'penghu-111.ppt'}: {NEEDS_LIBREOFFICE.format('.ppt')}",
    ], run.stderr
    assert run.returncode == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT file_type FROM documents").fetchall() == [("pdf",)]


@needs_soffice
def test_ingest_stores_the_original_file_type(tmp_path: Path) -> None:
    from deckmine.pipeline.ingest import ingest

    db = tmp_path / "w.duckdb"
    summary = ingest([RENDITIONS / "penghu-111.odp"], db, jobs=1)
    assert summary.failed == 0, summary.errors
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT path, file_name, file_type FROM documents").fetchall()
        metrics = con.execute("SELECT count(*) FROM metrics").fetchone()[0]
    assert rows == [(str((RENDITIONS / "penghu-111.odp").resolve()), "penghu-111.odp", "odp")]
    assert metrics > 0


# --------------------------------------------------------------------------- no process left behind


def _fake_soffice(folder: Path, body: str) -> Path:
    """A stand-in `soffice` (no `soffice.bin` beside it, so it is run itself)."""
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return script


def _processes_mentioning(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = next(
                (line for line in (entry / "status").read_text().splitlines() if line.startswith("State:")), ""
            )
        except OSError:
            continue
        if marker in command and "zombie" not in state:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_conversion_that_hangs_is_killed_with_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = f"deckmine-hang-{os.getpid()}-{time.monotonic_ns()}"
    sleeper = f"{sys.executable} -c 'import time; time.sleep(60)' {marker}"
    fake = _fake_soffice(tmp_path, f"{sleeper} &\nexec {sleeper}")
    fake.rename(tmp_path / marker)  # the marker is in every command line of the group
    monkeypatch.setenv("DECKMINE_SOFFICE", str(tmp_path / marker))
    started = time.monotonic()
    with pytest.raises(ExtractionError) as caught, converted(RENDITIONS / "penghu-111.odp", ".pptx", timeout=1):
        pass
    assert "took longer than 1 s" in str(caught.value)
    assert time.monotonic() - started < 10
    deadline = time.monotonic() + 5
    while _processes_mentioning(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(marker) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and uses PR_SET_PDEATHSIG")
def test_libreoffice_dies_with_a_killed_worker(tmp_path: Path) -> None:
    """A worker killed by the batch's time limit (SIGKILL) takes its LibreOffice with it."""
    marker = f"deckmine-orphan-{os.getpid()}-{time.monotonic_ns()}"
    fake = _fake_soffice(tmp_path, f"exec {sys.executable} -c 'import time; time.sleep(60)' {marker}")
    fake.rename(tmp_path / marker)
    code = (
        "from extractors.convert import converted\n"
        f"with converted({str(RENDITIONS / 'penghu-111.odp')!r}, '.pptx', timeout=60): pass\n"
    )
    environment = {**os.environ, "DECKMINE_SOFFICE": str(tmp_path / marker)}
    worker = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=environment)
    try:
        deadline = time.monotonic() + 20
        while not _processes_mentioning(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _processes_mentioning(marker), "the stand-in LibreOffice never started"
    finally:
        worker.kill()
        worker.wait()
    deadline = time.monotonic() + 5
    while _processes_mentioning(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(marker) == []
