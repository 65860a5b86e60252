# `make run`: set up on a fresh machine, then serve the admin with demo data and the job cluster.
# `make test`: set up, then run the whole test suite (DATABASE_URL picks SpatiaLite or PostGIS).
VENV ?= .venv
PY := $(VENV)/bin/python
export VENV

.PHONY: run test setup setup-test migrate demo lint format clean-db

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

test: setup-test
	@$(PY) -m pytest

lint: setup
	@$(VENV)/bin/ruff check .

format: setup
	@$(VENV)/bin/ruff format .

# Start again with an empty SpatiaLite database (the demo data is loaded by the next `make run`).
clean-db:
	rm -f var/realestate.sqlite3 var/realestate.sqlite3-wal var/realestate.sqlite3-shm
