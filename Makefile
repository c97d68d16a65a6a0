# Quick start: `make demo` (set up, then run the suite on its embedded defaults) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# Parallel test workers (pytest-xdist): `make test WORKERS=0` runs in one process.
WORKERS ?= auto

.PHONY: setup packages demo test lint pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# The Debian packages of .ci/packages.txt: installed when possible, otherwise the apt-get line to run.
packages:
	@.ci/packages
	@.ci/axe-core

demo: setup
	$(VENV)/bin/renda demo

lint: setup
	$(VENV)/bin/ruff check apps core devices tests
	$(VENV)/bin/mypy apps core devices

pytest: packages setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(WORKERS) $(PYTEST_ARGS)

test: packages lint pytest

bench: setup
	$(VENV)/bin/renda bench sync --rows 200000

clean:
	rm -rf $(VENV) build *.egg-info
