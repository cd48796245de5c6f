# The two commands a newcomer needs: `make run` and `make test` (see README.md).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test worker bench bench-newsroom faults lint format check bench-admin bench-search bench-pdf bench-newsletter help

help:
	@echo "make run    install, migrate, load demo content once, serve on http://$(HOST):$(PORT)"
	@echo "make test   install, then run the whole test suite"
	@echo "make lint   ruff and djhtml checks;  make format  rewrites code to the house style"

# Reinstall whenever pyproject.toml changes (the stamp carries its checksum).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.x")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . --group dev
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py seed_ads_demo --if-empty
	$(BIN)/python manage.py seed_subscriptions_demo --if-empty
	@# The worker beside the site (mail, newsletters, the clock); Ctrl-C stops both.
	DJANGO_DEBUG=1 $(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

# Production: migrate, collect static files, serve with gunicorn (deploy/gunicorn.conf.py).
# Needs DJANGO_ENV=production and the settings the README's production section lists.
# rename_pictures: pictures not public yet that still have guessable names get random
# ones (README, "Pictures as files"); once done, it only looks.
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py rename_pictures
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py portal.wsgi

# The worker of background tasks (mail, newsletters, periodic work); production runs
# it beside the app, one or more per machine (README, "Background work").
worker: install
	$(BIN)/python manage.py worker

# The reader pages under gunicorn at archive scale, as ratios to the framework floor.
bench: install
	$(BIN)/python bench/site.py

# Only the floor and the newsroom phase: readers across the archive while editors save.
bench-newsroom: install
	BENCH_ONLY=newsroom $(BIN)/python bench/site.py

# Faults under load: PostgreSQL restarted, Redis stopped and back, a worker killed.
faults: install
	$(BIN)/python bench/faults.py

# The back office with 200,000 articles (generated once into var/bench/).
bench-admin: install
	$(BIN)/python bench/admin.py

# The search page: typical German queries, database and page time.
bench-search: install
	$(BIN)/python bench/search.py

# Article PDFs: first render, stored copy, and bursts against gunicorn.
bench-pdf: install
	$(BIN)/python bench/pdf.py

# A newsletter to 5,000 addresses through two task workers, one killed halfway.
bench-newsletter: install
	$(BIN)/python bench/newsletter.py

# Django's own checks and the migration check, as CI runs them.
check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
