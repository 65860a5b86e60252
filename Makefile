# `make run`: set up on a fresh machine, then serve the admin with demo data and the job cluster.
# `make test`: set up, then run the whole test suite (DATABASE_URL picks SpatiaLite or PostGIS).
VENV ?= .venv
PY := $(VENV)/bin/python
export VENV

.PHONY: run test setup setup-test migrate demo lint format clean-db bench-rent bench-scope \
	bench-search bench-admin bench-pdf bench-import bench-api bench-reminders

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --browser

migrate: setup
	@$(PY) manage.py migrate --noinput

demo: migrate
	@$(PY) manage.py seed_demo --if-empty

run: demo
	@bash scripts/run.sh

# The suite runs with prepared statements on PostgreSQL, as the web processes do.
test: setup-test
	@DB_PREPARE_THRESHOLD=$${DB_PREPARE_THRESHOLD:-5} $(PY) -m pytest

lint: setup
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: setup
	@$(VENV)/bin/ruff format .

# Start again with an empty SpatiaLite database (the demo data is loaded by the next `make run`).
clean-db:
	rm -f var/realestate.sqlite3 var/realestate.sqlite3-wal var/realestate.sqlite3-shm

# Time the monthly rent job over 100,000 active leases (prints rent_first_run_s=…). It expects
# PostGIS, as in CI, and a database of its own, named by DATABASE_URL from the environment:
#   psql -h 127.0.0.1 -U postgres -c 'create database realestate_bench'
#   DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_bench make bench-rent
# It refuses a database holding other data; BENCH_ARGS passes options (e.g. --leases 20000).
bench-rent: setup
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_bench make bench-rent" >&2; exit 2; }
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py bench_rent $(BENCH_ARGS)

# Time the unit changelist over 100,000 units as a superuser and as an agent granted 10,000 of
# them (prints unscoped_changelist_ms=… scoped_changelist_ms=… scoped_queries=…). PostGIS and a
# database of its own, as for bench-rent:
#   psql -h 127.0.0.1 -U postgres -c 'create database realestate_scope'
#   DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_scope make bench-scope
bench-scope: setup
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_scope make bench-scope" >&2; exit 2; }
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py bench_scope $(BENCH_ARGS)

# Time the admin's search box over 100,000 units and 100,000 clients, as a superuser and as an
# agent granted a tenth of them (prints search_superuser_ms=… search_agent_ms=…). PostGIS and
# a database of its own (it reuses bench-scope's units):
#   psql -h 127.0.0.1 -U postgres -c 'create database realestate_search'
#   DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_search make bench-search
bench-search: setup
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_search make bench-search" >&2; exit 2; }
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py bench_search --explain $(BENCH_ARGS)

# Time the unit changelist over 1,000,000 units as a superuser against Django's stock
# ModelAdmin showing the same columns (prints admin_list_ms=… stock_list_ms=… admin_search_ms=…
# page_kb=…). PostGIS and a database of its own, as for bench-rent:
#   psql -h 127.0.0.1 -U postgres -c 'create database realestate_admin'
#   DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_admin make bench-admin
bench-admin: setup
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_admin make bench-admin" >&2; exit 2; }
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py bench_admin --explain $(BENCH_ARGS)

# Time the generated documents, warm and in-process: the shipped 3-page sale contract (60
# schedule lines) and 1-page invoice, 30 renders each, and a 200-invoice batch through the
# batch job (prints contract_p50_ms=… contract_p95_ms=… invoice_p50_ms=… batch_invoices_per_min=…).
# Any database (SpatiaLite by default): everything it makes is rolled back, files go to a
# temporary folder. BENCH_ARGS passes options (e.g. --runs 50, --profile /tmp/pdf.prof).
bench-pdf: setup
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py bench_pdf $(BENCH_ARGS)

# Time the units import (100,000 rows, through the admin's path: upload, check, import) against a
# stock django-import-export ModelResource (10,000 rows, extrapolated) and PostgreSQL's COPY, and
# the XLSX export of the 100,000 units (prints import_rows=… rows_per_s=… stock_rows_per_s=…
# floor_rows_per_s=… peak_rss_mb=… export_xlsx_s=…). PostGIS and a database of its own:
#   psql -h 127.0.0.1 -U postgres -c 'create database realestate_imports_bench'
#   DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_imports_bench make bench-import
bench-import: setup
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_imports_bench make bench-import" >&2; exit 2; }
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py bench_import $(BENCH_ARGS)

# Time the mobile app's API under load: seeds 1,000,000 units over Dubai (an agent assigned and
# granted 10,000) and 20,000 leases with 240,000 invoices (a tenant's app login holds 4 leases),
# serves it with gunicorn as in production (config/gunicorn.conf.py, 2 workers of 4 threads;
# Redis for the rate counters and the cache, database 13 unless REDIS_URL says otherwise),
# and drives it from another process for 30 s with 8
# clients: a tenant's invoice list, the agent's unit list, a `near` search, a unit's detail; then
# /healthz (prints tenant_invoices_p95_ms=… agent_units_p95_ms=… agent_near_p95_ms=… rps=…
# healthz_rps=…). PostGIS and a database of its own:
#   psql -h 127.0.0.1 -U postgres -c 'create database realestate_benchapi'
#   DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_benchapi make bench-api
bench-api: setup
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_benchapi make bench-api" >&2; exit 2; }
	@$(PY) manage.py migrate --noinput -v0
	@REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/13} $(PY) manage.py bench_api --explain $(BENCH_ARGS)

# Time the daily reminders job over 100,000 open receivables (10,000 contracts' instalments,
# 20,000 leases' rent) and 20,000 leases, and its immediate re-run, which must write nothing
# (prints reminders_s=… messages_queued=… rerun_queued=0). PostGIS and a database of its own:
#   psql -h 127.0.0.1 -U postgres -c 'create database realestate_benchrem'
#   DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_benchrem make bench-reminders
bench-reminders: setup
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. DATABASE_URL=postgis://postgres@127.0.0.1:5432/realestate_benchrem make bench-reminders" >&2; exit 2; }
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py bench_reminders --explain $(BENCH_ARGS)
