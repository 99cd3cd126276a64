.DEFAULT_GOAL := help
.PHONY: help run setup test test-fast lint format bot-test bench chaos constraints

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: ## Install what is missing and start the whole portal on http://localhost:8000 (Ctrl-C stops it)
	bin/run

setup: ## Install and prepare everything without starting anything
	bin/setup

test: ## Run every check: lint, migrations, bot tests, portal tests on SQLite and on PostgreSQL + Redis
	bin/test

test-fast: ## Portal tests on SQLite only, skipping browser and whole-stack tests
	.venv/bin/pytest -m "not browser and not stack"

bot-test: ## The bot's own tests (validate, train, stories, held-out NLU, actions)
	chatbot/scripts/test.sh

bench: ## Benchmarks on a throw-away PostgreSQL: complaints, staff inbox, chat, open-data search and ingest
	bin/bench

chaos: ## Faults against the production stack (Redis down, Rasa and a worker killed, PostgreSQL restarted); prints what residents got
	bin/chaos

lint: ## Check style without changing files
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && git ls-files '*.html' | xargs .venv/bin/djhtml --check

format: ## Fix style in place
	.venv/bin/ruff check --fix . && .venv/bin/ruff format . && git ls-files '*.html' | xargs .venv/bin/djhtml

constraints: ## Pin every installed package's version in requirements/constraints.txt (after changing requirements)
	@{ sed -n '1,/^# Refresh/p' requirements/constraints.txt; .venv/bin/pip freeze --disable-pip-version-check | grep -v '^iiif-prezi3=='; } > requirements/constraints.new
	@mv requirements/constraints.new requirements/constraints.txt
