# Everything a volunteer or CI needs; each target installs what it uses first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat test lint install train stories clean fonts

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

test: lint fonts
	$(BIN)/python -m pytest -q

# the checklist PDF's fonts (translations/fonts.yml): free fonts of the distribution, installed
# with apt when missing (root, as in CI); then checked, the error naming a file still missing
CHECK_FONTS := $(BIN)/python -c "from bot.checklist_pdf import check_fonts; check_fonts()"
fonts: $(STAMP)
	@$(CHECK_FONTS) 2>/dev/null || (echo "installing fonts-noto-core (the checklist PDF's fonts)" \
	  && apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-noto-core)
	@$(CHECK_FONTS)

stories: $(STAMP)
	$(BIN)/guide stories

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
