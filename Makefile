# Two commands on a fresh machine: `make run` and `make test` (see README.md).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Production is the settings' default (DEBUG off, SECRET_KEY required). The targets below are
# for a developer's machine, so they run manage.py with DEBUG=1; tests use settings_test.

# Debian packages the product needs: HarfBuzz's subsetter keeps PDF export fast, AR PL UMing is
# the Song-style CJK font of the printed tables, chromium drives the browser tests.
RUN_PACKAGES := libharfbuzz-subset0 fonts-arphic-uming
TEST_PACKAGES := $(RUN_PACKAGES) chromium

.PHONY: run test setup install system-packages system-packages-test migrate samples lint check clean

run: system-packages install migrate samples
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: system-packages-test install check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: system-packages install migrate samples

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 $(PYTHON)（Python 3.11）。请先安装，或用 make PYTHON=/path/to/python3.11 指定。"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

system-packages:
	@PACKAGES="$(RUN_PACKAGES)" sh .ci/system-packages

system-packages-test:
	@PACKAGES="$(TEST_PACKAGES)" sh .ci/system-packages

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

samples: install
	DEBUG=1 $(BIN)/python manage.py load_samples --demo-accounts
	DEBUG=1 $(BIN)/python manage.py demo_performance

check: install
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/lint-imports

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
