# youthmedia — two commands: `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test report bench lint data clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name youthmedia --display-name "youthmedia (Python 3)"
	touch $(STAMP)

test: lint
	$(BIN)/python -m pytest        # tests/ and the doctests of youthmedia/ (pyproject)

report: setup
	$(BIN)/youthmedia report

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .
	# TODO after the integrator's one-time `ruff format`: $(BIN)/ruff format --check .

data: setup
	$(BIN)/python tools/make_demo_data.py

clean:
	rm -rf $(VENV) reports/*/ reports/index.html
