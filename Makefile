# Quick start: `make demo` (set up, then run the suite on its embedded defaults) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup demo test lint pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(VENV)/bin/renda demo

lint: setup
	$(VENV)/bin/ruff check apps core devices tests
	$(VENV)/bin/mypy apps core devices

pytest: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

test: lint pytest

bench: setup
	$(VENV)/bin/renda bench sync --rows 200000

clean:
	rm -rf $(VENV) build *.egg-info
