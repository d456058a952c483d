# songgang — see README.md. A fresh machine needs only python3 and make.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
SONGGANG := $(VENV)/bin/songgang
SHARED ?= ../shared/data
# The bundled sample is dated to the campaign (2024-10..12): its postings are valid around this day.
SAMPLE_DATE ?= 2024-10-21
HOST ?= 127.0.0.1
PORT ?= 8000
export SONGGANG_SHARED_DATA ?= $(abspath $(SHARED))

.PHONY: help install run run-postgres demo sample test lint format train clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## create .venv and install the project with its dev tools

data/sample/persons.xlsx: $(VENV)/.installed
	$(SONGGANG) generate --out data/sample --persons 20000 --postings 5000 --seed 20241021

sample: data/sample/persons.xlsx ## generate the bundled sample data into data/sample/ (once)

demo: sample ## import the sample into the embedded database and print top-5 for three persons
	$(SONGGANG) import persons data/sample/persons.xlsx
	$(SONGGANG) import postings data/sample/postings.xlsx --index
	$(SONGGANG) demo -n 5 --date $(SAMPLE_DATE)

# The nightly lists of every district, so the page has files to download: the whole sample
# (20k generated persons, those registered and of working age get lists) takes ~40 s on 2 CPUs. Written once
# per generated sample.
NIGHTLY_DIR := data/nightly/$(SAMPLE_DATE)
$(NIGHTLY_DIR)/report.md: data/sample/persons.xlsx | demo
	$(SONGGANG) nightly --date $(SAMPLE_DATE) --out $(NIGHTLY_DIR) --no-progress

run: demo $(NIGHTLY_DIR)/report.md ## set up, load the sample, write the nightly lists, serve
	SONGGANG_TODAY=$(SAMPLE_DATE) $(SONGGANG) serve --host $(HOST) --port $(PORT)

# The PostgreSQL flavour on this machine: a throw-away server on loopback (.ci/postgres, as
# CI does; needs root the first time to apt-get install postgresql), the sample imported into
# its own database, served like `make run`.
PG_URL = $(shell bash .ci/postgres songgang_demo)
run-postgres: sample ## like run, on a local throw-away PostgreSQL (database songgang_demo)
	@url='$(PG_URL)'; test -n "$$url" || { echo "PostgreSQL could not be started (bash .ci/postgres)" >&2; exit 1; }; \
	export SONGGANG_DATABASE_URL="$$url" SONGGANG_INDEX_DIR=data/index-postgres; \
	echo "SONGGANG_DATABASE_URL=$$url"; \
	$(SONGGANG) import persons data/sample/persons.xlsx && \
	$(SONGGANG) import postings data/sample/postings.xlsx --index && \
	SONGGANG_TODAY=$(SAMPLE_DATE) $(SONGGANG) serve --host $(HOST) --port $(PORT)

test: install ## run the whole suite (PostgreSQL tests too when a throw-away server can start)
	PY=$(PY) bash .ci/test-suite

lint: install ## check style (no changes)
	$(VENV)/bin/ruff check matching api tests bench tools
	$(VENV)/bin/ruff format --check matching api tests bench tools

format: install ## format the code
	$(VENV)/bin/ruff check --fix matching api tests bench tools
	$(VENV)/bin/ruff format matching api tests bench tools

train: install ## retrain the classifier and write models/ with its model card
	$(SONGGANG) train --shared $(SONGGANG_SHARED_DATA) --out models

clean: ## remove the venv and generated data
	rm -rf $(VENV) data/sample data/*.db data/nightly
