"""deckmine: mine indicators from Taiwanese local-government briefing decks into DuckDB.

The library is four packages, in the order data flows through them:
- `deckmine.extractors`: PDF, PPTX, ODP and PPT files -> `Document` (pages, blocks, tables, charts);
- `deckmine.patterns`: a `Document` -> `Metric` rows linked to county, strategy and period;
- `deckmine.warehouse`: the DuckDB schema, writing and querying;
- `deckmine.pipeline`: ingest (workers, one writer), audit, report and the `deckmine` command.

The common calls are importable from here:

    import deckmine
    document = deckmine.extract("deck.pdf")
    mined = deckmine.mine_document(document)
    summary = deckmine.ingest(["decks/"], "warehouse.duckdb")
    con = deckmine.connect("warehouse.duckdb", read_only=True)

They are loaded on first use, so `import deckmine` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

__version__ = "0.2.0"

# Installed, the four packages live inside this one; in a source checkout they are the folders
# beside it (pyproject's package-dir maps them), and this makes `deckmine.pipeline` find them.
_HERE = Path(__file__).resolve().parent
if not (_HERE / "pipeline").is_dir() and (_HERE.parent / "pipeline" / "__init__.py").is_file():
    __path__.append(str(_HERE.parent))  # type: ignore[name-defined]  # noqa: F821

_EXPORTS = {
    "extract": "deckmine.extractors",
    "Document": "deckmine.extractors",
    "ExtractionError": "deckmine.extractors",
    "mine_document": "deckmine.patterns.mine",
    "Metric": "deckmine.patterns.metric",
    "ingest": "deckmine.pipeline.ingest",
    "IngestSummary": "deckmine.pipeline.ingest",
    "connect": "deckmine.warehouse.db",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'deckmine' has no attribute {name!r}")
