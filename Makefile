# Opora: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
export HOST PORT

.PHONY: run dev test test-pg bench setup clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the requirements change.
$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed
	$(BIN)/flask --app app setup

# Web server, job worker and PDF converter together (Procfile, run by honcho); Ctrl-C stops all.
# Every process gets the web server's address for absolute links (honcho gives each its own PORT).
run: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" WORKERS=$(WORKERS) \
	  OPORA_SITE_URL="$${OPORA_SITE_URL:-http://$(HOST):$(PORT)}" $(BIN)/honcho start -f Procfile

# One process: jobs run in a thread of the dev server unless OPORA_QUEUE_URL says otherwise.
dev: setup
	OPORA_QUEUE_URL=$${OPORA_QUEUE_URL:-memory://} $(BIN)/flask --app app run --debug --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL (a fresh schema per test).
test-pg: $(VENV)/.installed-test
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python -m tests.bench.run

clean:
	rm -rf $(VENV) .pytest_cache
