# Two commands on a fresh machine: `make run` and `make test` (`make dev` for developers).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
PYTEST_ARGS ?=

.PHONY: setup demo-database run dev test test-browser lint format bench messages schema clean

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

PORT ?= 8000

# The task worker that runs resident imports and, every 5 minutes beside it, the recovery of
# work a stopped worker left and the daily-report reminders, around the server command $(1);
# all stop with the server.
with_workers = $(BIN)/python manage.py db_worker --no-reload -v 0 & worker=$$!; \
	while true; do $(BIN)/python manage.py recover_jobs -v 0; $(BIN)/python manage.py send_reminders -v 0; sleep 300; done & reminders=$$!; \
	trap 'kill $$worker $$reminders 2>/dev/null' EXIT INT TERM; \
	$(1)

demo-database: setup
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py recover_jobs -v 0

## Serve the product as its users see it on http://127.0.0.1:8000 (PORT=8080 make run for
## another port): SQLite with the demo county, gunicorn (deploy/gunicorn.conf.py), DEBUG off,
## the product's own error pages, static files collected into staticfiles/ and served by the
## app, with the task worker and the 5-minute loop
run: export DJANGO_DEBUG := 0
run: export STATIC_ROOT := $(CURDIR)/staticfiles
run: demo-database staticfiles/.collected
	$(call with_workers,$(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT) fangkong.wsgi)

# Collected again only when a static file or a package changed (the front-end libraries'
# folders hold 170 MB, which take half a minute to hash and compress).
staticfiles/.collected: $(STAMP) $(NPM_STAMP) $(shell find fangkong -path '*/static/*' -type f)
	DJANGO_DEBUG=0 STATIC_ROOT=$(CURDIR)/staticfiles $(BIN)/python manage.py collectstatic --no-input -v 0
	touch $@

## The developers' server: runserver (reloads on change), DEBUG on (Django's technical error
## pages), static files from their sources, the same database, worker and loop
dev: export DJANGO_DEBUG := 1
dev: demo-database
	$(call with_workers,$(BIN)/python manage.py runserver 127.0.0.1:$(PORT))

## The whole test suite except the real-browser tests (DATABASE_URL picks the database)
test: setup
	$(BIN)/pytest -n 2 --dist worksteal -m "not browser" --durations=25 $(PYTEST_ARGS)

## The real-browser tests in Debian's Chromium (all under tests/browser: only that folder is
## collected, unless PYTEST_ARGS names what to run)
test-browser: setup
	$(BIN)/pytest -m browser $(if $(PYTEST_ARGS),$(PYTEST_ARGS),tests/browser)

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
