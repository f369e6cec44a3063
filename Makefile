# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
PYTEST_ARGS ?=

.PHONY: setup run test test-browser lint format bench messages schema clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP) $(NPM_STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

## Serve the product on SQLite with the demo county on http://127.0.0.1:8000, with the task
## worker that runs resident imports and, every 5 minutes beside it, the recovery of work a
## stopped worker left and the daily-report reminders (all stopped with the server)
run: setup
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py recover_jobs -v 0
	$(BIN)/python manage.py db_worker --no-reload -v 0 & worker=$$!; \
	while true; do $(BIN)/python manage.py recover_jobs -v 0; $(BIN)/python manage.py send_reminders -v 0; sleep 300; done & reminders=$$!; \
	trap 'kill $$worker $$reminders 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## The whole test suite except the real-browser tests (DATABASE_URL picks the database)
test: setup
	$(BIN)/pytest -n 2 --dist worksteal -m "not browser" --durations=25 $(PYTEST_ARGS)

## The real-browser tests in Debian's Chromium
test-browser: setup
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Regenerate the message catalogue after changing user-facing text
messages: setup
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=bench --ignore=tests --no-obsolete

## Generate a county into a throwaway SQLite file and time the pages (bench/README.md)
BENCH_RESIDENTS ?= 100000
BENCH_DB ?= /tmp/fangkong-bench.sqlite3
bench: setup
	rm -f $(BENCH_DB) $(BENCH_DB)-wal $(BENCH_DB)-shm
	$(BIN)/python bench/generate.py --residents $(BENCH_RESIDENTS) --database-url sqlite:///$(BENCH_DB)
	$(BIN)/python bench/area_pages.py --database-url sqlite:///$(BENCH_DB)
	$(BIN)/python bench/people_pages.py --database-url sqlite:///$(BENCH_DB)
	$(BIN)/python bench/monitoring_pages.py --database-url sqlite:///$(BENCH_DB)

clean:
	rm -rf $(VENV) node_modules staticfiles

## Write the OpenAPI schema that docs/openapi.yaml publishes (a test checks it is current)
schema: setup
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml
