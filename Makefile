# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check pytest test-postgres messages bench clean videos video-tools

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

## Install, migrate, load the handbook content and serve http://127.0.0.1:8000 on SQLite.
run: $(VENV)/.runtime
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv -v0
	DEBUG=1 $(MANAGE) migrate --no-input -v1
	DEBUG=1 $(MANAGE) import_content
	DEBUG=1 $(MANAGE) import_practices
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

## The whole suite: lint, system checks, migrations, translations, then pytest.
test: $(VENV)/.dev lint check pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(VENV)/.dev
	SECRET_KEY=check-only $(MANAGE) check --fail-level WARNING
	SECRET_KEY=check-only $(MANAGE) makemigrations --check --dry-run -v0
	SECRET_KEY=check-only $(MANAGE) compilemessages --ignore=.venv -v0

pytest: $(VENV)/.dev
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$CI" = "true" ]; then echo "ERROR: /usr/bin/chromium is missing; CI must run the browser tests."; exit 1; fi; \
	  echo ""; echo "NOTICE: /usr/bin/chromium not found: browser tests will be SKIPPED (apt-get install chromium)."; echo ""; \
	fi
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## The explainer and promo videos in lv and en (MP4, WebM, captions) into var/videos/.
## ffmpeg and espeak-ng come from Debian: installed here when missing (as root), never downloaded at run time.
videos: $(VENV)/.runtime video-tools
	DEBUG=1 $(MANAGE) build_videos

video-tools:
	@missing=""; for tool in ffmpeg ffprobe espeak-ng; do command -v $$tool >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg espeak-ng >/dev/null; \
	  else echo "Install ffmpeg and espeak-ng: sudo apt-get install ffmpeg espeak-ng"; exit 1; fi; \
	fi

## Refresh the .po files after changing interface strings.
messages: $(VENV)/.dev
	DEBUG=1 $(MANAGE) makemessages -l lv -l en --ignore=.venv --ignore=bench --no-obsolete
	# Respondent pages speak the refugees' languages too.
	cd inclusion/feedback && DJANGO_SETTINGS_MODULE=inclusion.settings DEBUG=1 PYTHONPATH=$(CURDIR) \
	  ../../$(VENV)/bin/django-admin makemessages -l lv -l uk -l ru -l ar -l fa --no-obsolete

## Every benchmark (several minutes; see docs/performance.md).
bench: $(VENV)/.dev
	$(PY) bench/handbook.py
	$(PY) bench/assessments.py
	$(PY) bench/practices.py
	$(PY) bench/feedback.py
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache .ruff_cache
