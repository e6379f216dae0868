# youthmedia — two commands: `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup test report bench lint data clean app

setup: $(STAMP)

$(STAMP): pyproject.toml
	command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)
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

app: setup
	$(BIN)/youthmedia app

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

data: setup
	$(BIN)/python tools/make_demo_data.py

clean:
	rm -rf $(VENV) reports/*/ reports/index.html
