# deckmine: every target a user or CI needs. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= deckmine.duckdb

.PHONY: install demo test sysdeps formatdeps lint corpus bench notebooks soak clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "deckmine needs Python >= 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,notebooks,ocr,cluster]'
	touch $@

install: $(VENV)/.installed formatdeps  ## create .venv and install deckmine with its dependencies

demo: install  ## load the sample corpus into $(DB), print a summary, example queries and the audit report
	$(BIN)/deckmine ingest corpus/decks --db $(DB)
	$(BIN)/deckmine stats --db $(DB)
	$(BIN)/deckmine query --file warehouse/examples.sql --db $(DB)
	$(BIN)/deckmine report --html report.html --db $(DB)

test: install sysdeps  ## run the linter and the test suite (notebooks included)
	$(BIN)/ruff check .
	$(BIN)/pytest

notebooks: install sysdeps  ## run the three notebooks on a warehouse built from corpus/decks
	$(BIN)/python notebooks/run.py

# Debian packages for the optional formats: LibreOffice Impress reads .odp and .ppt (converted to
# PPTX). Installed when missing and we may (root with apt-get); otherwise such files are reported.
formatdeps:
	@if ! command -v soffice >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing libreoffice-impress from Debian (reads .odp and .ppt)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-impress >/dev/null; \
	  else echo "not installed: libreoffice-impress (.odp and .ppt files will be reported, not read)"; fi; \
	fi

# Debian packages the tests use: chromium (HTML-report browser test) and the Noto CJK font
# (notebook charts), and the format packages above. Installed when missing and we may; otherwise
# those tests say why they skip.
sysdeps: formatdeps
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing$$missing from Debian"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "not installed:$$missing (the tests that need them will skip)"; fi; \
	fi

lint: install
	$(BIN)/ruff check .

corpus: install  ## rebuild corpus/decks from corpus/specs (needs LibreOffice + Noto CJK; installs them on Debian)
	@command -v soffice >/dev/null || (apt-get update -qq && apt-get install -y -qq libreoffice-impress fonts-noto-cjk)
	$(BIN)/python corpus/build.py

# Byte-compiled once, as `pip install` does for a regular install (an editable one does not, and
# with PYTHONDONTWRITEBYTECODE set every run would compile every module again).
COMPILED := deckmine extractors patterns pipeline warehouse bench

bench: install  ## speed and memory figures (see README)
	$(BIN)/python -m compileall -q $(COMPILED) >/dev/null
	$(BIN)/python bench/run.py

soak: install  ## hostile files under /usr/bin/time -v and kill -9 at 20 random moments (README "Limits and safety")
	@command -v /usr/bin/time >/dev/null || (apt-get update -qq && apt-get install -y -qq time)
	$(BIN)/python bench/soak.py --kills 20

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
