# The front door: every target builds .venv from .python-version when it is missing or stale.
PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint unit bench fuzz docs config clean venv system

venv: system $(STAMP)

# Debian packages first (quick when they are all there); the venv is rebuilt only when its inputs change.
system:
	@bash scripts/install_system_packages.sh

$(STAMP): requirements.txt requirements-dev.txt .python-version | system
	@bash scripts/make_venv.sh "$(PYTHON_VERSION)" "$(VENV)"
	@touch $(STAMP)

demo: $(STAMP)
	$(PY) -m demo

test: lint unit

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

unit: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench
	$(PY) -m bench.proxy

# The v3 batch on its own: status requests per poll for a 100-video batch, against per-video polling.
.PHONY: bench-batch
bench-batch: $(STAMP)
	$(PY) -c "from bench.batch_polling import main; raise SystemExit(main())"

# 20,000 schema-generated hostile inputs over every action; prints escapes, requests and refusal times.
fuzz: $(STAMP)
	$(PY) -m tests.fuzzing 20000

# config.json is built from schema/ (each shared part written once); tests/test_tool_definitions.py checks drift.
config: $(STAMP)
	$(PY) scripts/build_config.py --write

docs: $(STAMP)
	$(PY) scripts/render_action_reference.py --write

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache .hypothesis

# The local talking-avatar engine (engine/): its benchmark, also run by `make bench`; its API server.
.PHONY: bench-engine engine-serve
bench-engine: $(STAMP)
	$(PY) -m bench.engine

bench: bench-engine

engine-serve: $(STAMP)
	$(PY) -m engine serve

# `make demo` renders the simulator's videos with the engine: a face speaks each script (simulator/engine_media.py).
demo: export SIMULATOR_RENDERER := engine

# The HeyGen proxy (docs/proxy.md): serve it on 127.0.0.1:8080, then add an organisation and a key.
.PHONY: proxy proxy-org
ORG ?= my-org
proxy: $(STAMP)
	$(PY) -m proxy serve

proxy-org: $(STAMP)
	$(PY) -m proxy org add $(ORG)
	$(PY) -m proxy key create $(ORG) --scope read,generate
