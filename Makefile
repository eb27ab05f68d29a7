# `make demo` and `make test` create .venv and install what is missing; a second run skips the install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "torch==2.13.0"  # CPU build, before anything needs torch
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,semantic,scale]"
	@touch $(STAMP)

demo: $(STAMP)
	@rm -rf .demo
	$(BIN)/copilot run examples/penguins "audit this dataset and remove duplicates" \
		--approve examples/demo-policy.toml --workspace .demo/workspace
	$(BIN)/copilot export --workspace .demo/workspace .demo/curated
	@echo "Curated data: .demo/curated/   Audit log: $(BIN)/copilot log --workspace .demo/workspace"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .demo .pytest_cache .ruff_cache
