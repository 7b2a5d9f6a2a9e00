# machi — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
IDP_PORT ?= $(shell echo $$(($(PORT) + 1)))
# The demo always runs on the embedded default, whatever the shell exports. Its My Number
# card sign-in is a sandbox identity provider on IDP_PORT (made-up people, no card; ADR 0014).
DEMO_ENV := env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND \
	-u MACHI_OIDC_NAME -u MACHI_OIDC_PROVIDER_ID -u MACHI_OIDC_SCOPES -u MACHI_OIDC_TOKEN_AUTH \
	-u MACHI_OIDC_FORM_ACTION_EXTRA -u MACHI_PRODUCTION \
	MACHI_OIDC_SANDBOX=true MACHI_OIDC_ISSUER=http://$(HOST):$(IDP_PORT) \
	MACHI_OIDC_CLIENT_ID=machi-demo MACHI_OIDC_CLIENT_SECRET=machi-demo-sandbox-only

.DEFAULT_GOAL := help
.PHONY: help demo serve test test-order lint api-schema fmt bench install assets messages system-deps test-system-deps clean

help: ## Show this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set (many containers),
# every start of the site would otherwise compile its dependencies again (seconds).
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed ## Install Python and npm dependencies

# gettext compiles translations; WeasyPrint renders PDFs with Pango and the Noto CJK fonts.
SYSTEM_PACKAGES := gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk

system-deps: ## Debian packages the platform needs (translations, PDF rendering, Japanese fonts)
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES))

test-system-deps: system-deps ## Debian packages the tests need (chromium)
	@command -v chromium >/dev/null || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)

assets: node_modules/.installed ## Build static assets from the npm packages
	node scripts/build-assets.mjs
	mkdir -p var/static

messages: $(VENV)/.installed system-deps ## Compile the translations
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

demo: install system-deps assets messages ## Set up and run the 亀山市 demo on SQLite (PORT=8765 to change; the card sandbox uses IDP_PORT, PORT+1)
	mkdir -p var
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(DEMO_ENV) $(BIN)/python manage.py load_demo --url http://$(HOST):$(PORT)
	$(DEMO_ENV) $(BIN)/python manage.py demo_info --url http://$(HOST):$(PORT)
	$(DEMO_ENV) $(BIN)/python manage.py demo_serve $(HOST):$(PORT)

serve: install assets messages ## Run the development server against the configured database
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The API's OpenAPI schema is kept in the repository, so that any change to the API shows
# as a diff in review. Written as on PostgreSQL (production's integer ranges; no server is
# contacted).
OPENAPI := docs/api/openapi.yaml
SCHEMA := env DATABASE_URL=postgres://schema@127.0.0.1:1/schema $(BIN)/python manage.py spectacular --validate --fail-on-warn

lint: $(VENV)/.installed ## ruff, mypy, the import contracts, the API schema and the migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src/
	$(BIN)/lint-imports --no-cache
	mkdir -p var
	$(SCHEMA) --file var/openapi.yaml
	@diff -u $(OPENAPI) var/openapi.yaml || \
	  (echo "The API changed (diff above). If you meant it: make api-schema, and commit $(OPENAPI)."; exit 1)
	$(BIN)/python manage.py makemigrations --check --dry-run -v1

api-schema: $(VENV)/.installed ## Write the API schema snapshot (docs/api/openapi.yaml) after an intended API change
	$(SCHEMA) --file $(OPENAPI)

fmt: $(VENV)/.installed ## Format and auto-fix the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# One pytest worker per core (xdist); each gets its own test database and Redis database
# (machi.testing.workers). worksteal: a worker that finishes early takes the other's tests.
TEST_WORKERS ?= auto

test: install test-system-deps assets messages lint ## Lint, then run every test (PostgreSQL when DATABASE_URL is set)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

test-order: install test-system-deps assets messages ## The fast tests once more in reverse order (CI), to catch tests that lean on each other
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --reverse -q \
	  -m "not browser and not integration"

bench: install assets messages ## Run the benchmarks; figures go to bench/results/
	$(BIN)/python bench/run.py

clean: ## Remove the virtualenv, node_modules, built assets and var/
	rm -rf $(VENV) node_modules assets/build var
