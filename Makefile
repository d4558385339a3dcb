# sdkgen: the two commands a newcomer needs are `make generate` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SETUP  := $(VENV)/.setup-done

.PHONY: setup generate check diff ir lint test bench clean

setup: $(SETUP)

# A virtualenv with the generator (editable), the test tools and the generated SDK (editable).
$(SETUP): pyproject.toml requirements-lock.txt generated/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements-lock.txt -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps -e ./generated
	touch $@

node_modules/.setup-done: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

generate: $(SETUP)
	$(BIN)/sdkgen generate

check: $(SETUP)
	$(BIN)/sdkgen check

# What the changes to specs/ since REV (default: the last commit) do to the SDK's users, and the next version.
REV ?= HEAD
diff: $(SETUP)
	$(BIN)/sdkgen diff --from-git $(REV)

ir: $(SETUP)
	$(BIN)/sdkgen ir

# The house style (settings in pyproject.toml): lint rules, the formatter's layout, strict types.
lint: $(SETUP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint $(SETUP) node_modules/.setup-done
	$(BIN)/sdkgen check
	$(BIN)/python -m pytest -q

# Benchmarks in their own virtualenvs under .bench/ (see benchmarks/README.md); writes benchmarks/RESULTS.md.
bench:
	$(PYTHON) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules .bench .sdkgen-cache .pytest_cache .mypy_cache .hypothesis
