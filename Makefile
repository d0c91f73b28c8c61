# `make run` and `make test` do all set-up on a fresh machine (Python 3.11+ with venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1

.PHONY: install run test test-fast bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/rashomon demo

test: install
	$(BIN)/python -m pytest -q -rs -n 2 --dist loadfile

test-fast: install
	$(BIN)/python -m pytest -q -m "not postgres and not spark and not browser and not slow"

bench: install
	$(BIN)/python benchmarks/run_all.py

lint: install
	$(BIN)/ruff check rashomon tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
