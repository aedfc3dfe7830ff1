# Everything a volunteer or CI needs; each target installs what it uses first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat test lint install train stories clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

train: $(STAMP)
	$(BIN)/guide nlu train

chat: $(STAMP)
	$(BIN)/guide shell $(if $(LANG_CODE),--lang $(LANG_CODE),)

lint: $(STAMP)
	$(BIN)/ruff check bot rules_engine tests bench
	$(BIN)/mypy
	$(BIN)/guide lint

test: lint
	$(BIN)/python -m pytest -q

stories: $(STAMP)
	$(BIN)/guide stories

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
