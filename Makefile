# Hankekirjasto: one command to serve the site, one to run the tests.
# Everything is installed into .venv on first use, exactly as uv.lock pins it; nothing is
# needed beforehand but Python 3.11+ (and, for the tests, the Debian packages that
# scripts/system-packages.sh lists and installs).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum uv.lock pyproject.toml | cksum | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1
# uv: the machine's Python only (never a downloaded one), and the project's .venv.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install upgrade serve build zensical check test test-fast system-packages schema bench clean

install: $(STAMP) node_modules/.package-lock.json

# The form editor (Sveltia CMS, served at /admin/), exactly as package-lock.json pins it.
node_modules/.package-lock.json: package-lock.json
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; else echo "npm puuttuu: lomake-editori (/admin/) jää asentamatta"; fi

# Installs from the lock only: `uv sync --locked` fails, instead of resolving anew, when
# uv.lock does not match pyproject.toml (run `make upgrade` or `uv lock` after editing it).
$(STAMP): uv.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python scripts/bootstrap-uv.py
	$(BIN)/uv sync --locked --extra test --python $(BIN)/python --quiet
	rm -f $(VENV)/.installed-* && touch $@

## upgrade: refresh uv.lock to the newest versions pyproject.toml allows, and install them
upgrade: install
	$(BIN)/uv lock --upgrade
	$(MAKE) install

## serve: the whole site from content/ at http://127.0.0.1:8000, reloading on every edit
serve: install
	$(BIN)/mkdocs serve --livereload --dirty

## build: the static site into site/
build: install
	$(BIN)/mkdocs build --strict

## zensical: the same site built by Zensical from `hankekirjasto generate`, into out/zensical/site/
zensical: install
	$(BIN)/hankekirjasto generate out/zensical
	cd out/zensical && $(abspath $(BIN))/zensical build --clean --strict
	$(BIN)/hankekirjasto index out/zensical/site

## check: validate every record and report every problem at once
check: install
	$(BIN)/hankekirjasto check

## test: the whole test suite, browser tests included
test: system-packages install  # system packages first: npm installs the form editor
	$(BIN)/python -m pytest

## test-fast: everything but the browser tests
test-fast: install
	$(BIN)/python -m pytest -m "not browser"

system-packages:
	@bash scripts/system-packages.sh

## schema: regenerate the JSON Schema files in schema/
schema: install
	$(BIN)/hankekirjasto schema --out schema

bench: install
	$(BIN)/python bench/similarity_bench.py

clean:
	rm -rf site out .site.next .site.old .pytest_cache .hypothesis
