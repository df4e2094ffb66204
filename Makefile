# The two commands of the README: `make demo` and `make test` (and `make check`, the quick
# loop). All set everything up (a local virtual environment in .venv) and are safe to run again.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := out

.PHONY: demo test check lint setup clean bench bench-smoke

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "tpm needs Python 3.10 or newer ($(PYTHON) is $$($(PYTHON) -V 2>&1))"; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		rm -rf $(VENV); \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing python3-venv"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && \
			$(PYTHON) -m venv $(VENV); \
		else \
			echo "cannot create a virtual environment: install python3-venv (sudo apt-get install python3-venv)"; exit 1; \
		fi; }

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

# The main job on the example organisation. `tpm audit` exits 1 there on purpose (a journey
# across four silos has no owner: the finding a CX manager should see first), so the demo
# shows it and goes on.
demo: $(STAMP)
	$(BIN)/tpm --version
	$(BIN)/tpm validate
	$(BIN)/tpm audit || [ $$? -eq 1 ]
	$(BIN)/tpm score
	@if command -v dot >/dev/null 2>&1; then \
		$(BIN)/tpm diagram org --format svg --output $(OUT)/org.svg && \
		$(BIN)/tpm diagram journey --all --format svg --output $(OUT)/journeys; \
	else \
		echo "Graphviz 'dot' is not installed (sudo apt-get install graphviz): Mermaid maps instead"; \
		$(BIN)/tpm diagram org --format mermaid --output $(OUT)/org.mmd && \
		$(BIN)/tpm diagram journey --all --format mermaid --output $(OUT)/journeys; \
	fi
	$(BIN)/tpm report --output $(OUT)/report.html
	@echo "Open $(OUT)/report.html in a browser for the workshop report."

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

# The quick loop while developing: lint and every test except those marked slow (fuzzing,
# hostile input, real browsers and benchmarks). `make test` runs everything, as CI does.
check: $(STAMP) lint
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check tpm tests benchmarks
	$(BIN)/ruff format --check tpm tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

bench-smoke: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
