# Two commands set lpbot up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

.PHONY: install run test lint bench bench-load bench-fanout
install: $(BIN)/.installed

run: install
	$(BIN)/lpbot run

test: install
	.ci/system-deps
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m bench.insight

bench-load: install  # e.g. make bench-load BENCH_LOAD_ARGS="--seconds 10 --python"
	$(BIN)/python -m bench.load $(BENCH_LOAD_ARGS)

bench-fanout: install
	$(BIN)/python -m bench.fanout
