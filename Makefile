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

.PHONY: run serve test setup install system-packages system-packages-test migrate samples lint check clean

# The web server and a background worker (pre-rendering, bulk exports, e-mail) side by side;
# Ctrl-C reaches both (one process group), and the worker is stopped when the server exits.
run: system-packages install migrate samples
	@echo "网站：http://$(HOST):$(PORT)/ ；后台任务进程已同时启动（Ctrl-C 同时停止两者）"
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production stack on this machine: gunicorn and whitenoise, DEBUG off, on the database
# of DATABASE_URL (SQLite db.sqlite3 by default). Plain HTTP on 127.0.0.1, so HTTPS-only
# cookies and the redirect to HTTPS are off here; behind a TLS proxy leave them on (README).
serve: system-packages install .secret_key
	SECRET_KEY="$$(cat .secret_key)" $(BIN)/python manage.py migrate --noinput
	SECRET_KEY="$$(cat .secret_key)" $(BIN)/python manage.py collectstatic --noinput -v 0
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	SECRET_KEY="$$(cat .secret_key)" $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	SECRET_KEY="$$(cat .secret_key)" SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 \
	SECURE_HSTS_SECONDS=0 BIND=$(HOST):$(PORT) \
	$(BIN)/gunicorn -c kexie_perf/gunicorn.conf.py

.secret_key:
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The suite runs on every core (pytest-xdist; each worker has its own test database).
# PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n auto
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
