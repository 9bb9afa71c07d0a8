# billing_followup: the two commands a user needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
ARGS ?=

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: ## Install what Odoo needs (Debian packages, PostgreSQL, Odoo 19 from sid, .venv)
	@bash scripts/setup.sh

demo: ## Set up, create the demo database, run the daily follow-up once, serve Odoo on :8069 (PORT=, DEMO_DB= to change)
	@bash scripts/demo.sh

test: ## Set up, then run the whole test suite on a fresh database (ARGS="-k name" to filter)
	@bash scripts/test.sh $(ARGS)

bench: ## Measure the daily run: seconds, SQL queries, peak memory (SIZES=, ROWS=, COMPARE=<rev>)
	@bash scripts/bench.sh

i18n: ## Refresh billing_followup/i18n (.pot and each language's .po) from the code
	@bash scripts/i18n.sh

lint: ## Run ruff over the addon, tests, bench and scripts
	@bash scripts/setup.sh >/dev/null
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

.PHONY: help setup demo test bench i18n lint
