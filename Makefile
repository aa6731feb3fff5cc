# Set-up is part of every target: on a fresh clone `make run` or `make test` creates the
# virtualenv from the pinned constraints first. Only python3 (3.11+) and make are needed.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp

.PHONY: install run demo test bench score lock clean

# The project's bytecode is written at install, as a regular install has it: where
# PYTHONDONTWRITEBYTECODE is set, Python would compile every module from source in every run
# (~0.2-0.3 s of a nightly run).
$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	$(BIN)/python -m compileall -q kernel scrutiny extract transform warehouse flows mirror
	touch $(STAMP)

install: $(STAMP)

## The main job: the nightly flow over the real sources in sources.toml (local DuckDB, no Prefect server).
run: $(STAMP)
	$(BIN)/scrutiny run

## The same nightly flow against the bundled local mirror (no internet needed).
demo: $(STAMP)
	$(BIN)/scrutiny demo

## The test suite (what CI runs).
test: $(STAMP)
	$(BIN)/pytest

## The whole-pipeline benchmark on a synthetic archive (not part of `make test`; ~15 min;
## results: tests/benchmarks/RESULTS.md). BENCH_ARGS="--papers 200" for a quick one.
## Its extra (reportlab, which typesets the synthetic papers) is installed first.
bench: $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,bench]'
	$(BIN)/python -m tests.benchmarks.run $(BENCH_ARGS)

## The parsers' quality: per-document scores on the corpus three and the development set.
score: $(STAMP)
	$(BIN)/python tools/score_parsers.py --set corpus
	$(BIN)/python tools/score_parsers.py --set dev

clean:
	rm -rf $(VENV) .pytest_cache

## Re-pin constraints.txt from the current virtualenv (after changing dependencies), extras included.
lock: $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	{ sed -n '1,2p' constraints.txt; $(BIN)/pip freeze --exclude-editable | grep -v '^-e'; } > constraints.new
	mv constraints.new constraints.txt
