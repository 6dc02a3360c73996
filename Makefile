# The two commands a newcomer needs: `make app` and `make test`.
# Both create .venv when missing and install what they need into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: app test bench reports browser install-app install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[app,report,fast]"
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[app,report,cluster,sensitivity,fast,dev]"
	touch $@

# The browser test drives Debian's Chromium; nothing is downloaded by Playwright itself.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium fonts-nanum; }

install-app: $(VENV)/.app
install-test: $(VENV)/.test

app: $(VENV)/.app
	$(BIN)/streamlit run app.py --server.headless true --browser.gatherUsageStats false

test: $(VENV)/.test browser
	$(BIN)/python -m pytest -n 2

bench: $(VENV)/.test
	$(BIN)/python bench/run.py

# The sample business case in reports/ (HTML, PDF printed by Chromium, Excel).
reports: $(VENV)/.test browser
	$(BIN)/python reports/build.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
