# The two commands a newcomer needs: `make ask Q="..."` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
Q ?= What is the council's carbon footprint?

.PHONY: setup ask test bench clean

setup: $(VENV)/.installed

# CPU PyTorch goes in first, so sentence-transformers does not pull a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	# Compiled once here, so a one-shot `ask` does not recompile the project's modules on machines
	# that set PYTHONDONTWRITEBYTECODE (pip does the same for the installed packages).
	$(BIN)/python -m compileall -q bot retrieval kpi_tools
	touch $@

ask: setup
	$(BIN)/council-assistant ask "$(Q)"

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) .council-data
