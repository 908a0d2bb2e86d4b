# Hankekirjasto: one command to serve the site, one to run the tests.
# Everything is installed into .venv on first use; nothing is needed beforehand but
# Python 3.11+ (and, for the browser tests, Debian's chromium, which `make test` installs).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build check test test-fast browser schema bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

## serve: the whole site from content/ at http://127.0.0.1:8000, reloading on every edit
serve: install
	$(BIN)/mkdocs serve --livereload --dirty

## build: the static site into site/
build: install
	$(BIN)/mkdocs build --strict

## check: validate every record and report every problem at once
check: install
	$(BIN)/hankekirjasto check

## test: the whole test suite, browser tests included
test: install browser
	$(BIN)/python -m pytest

## test-fast: everything but the browser tests
test-fast: install
	$(BIN)/python -m pytest -m "not browser"

browser:
	@bash scripts/ensure-chromium.sh

## schema: regenerate the JSON Schema files in schema/
schema: install
	$(BIN)/hankekirjasto schema --out schema

bench: install
	$(BIN)/python bench/similarity_bench.py

clean:
	rm -rf site .pytest_cache .hypothesis
