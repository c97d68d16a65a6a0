# Quick start: `make demo` (set up, then run the suite on its embedded defaults) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# Parallel test workers (pytest-xdist): `make test WORKERS=0` runs in one process.
WORKERS ?= auto

.PHONY: setup packages demo test lint pytest bench dist clean

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

# The frozen program (dist/renda), built from a non-development install: a build environment of its own
# with only the runtime dependencies and PyInstaller, then smoke-tested (see build_spec/build.py).
DIST_VENV := build/venv-dist
DIST_PY   := $(DIST_VENV)/bin/python
DIST_STAMP := $(DIST_VENV)/.installed-stamp

$(DIST_STAMP): pyproject.toml
	$(PYTHON) -m venv $(DIST_VENV)
	$(DIST_PY) -m pip install --quiet --upgrade pip
	$(DIST_PY) -m pip install --quiet . 'pyinstaller>=6.3'
	touch $(DIST_STAMP)

dist: packages $(DIST_STAMP)
	$(DIST_PY) build_spec/build.py

clean:
	rm -rf $(VENV) build *.egg-info
