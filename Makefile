# The two commands a newcomer needs: `make app` and `make test`.
# Both create .venv when missing and install what they need into it, at the exact
# versions of requirements/lock.txt (the set the tests passed with); pyproject.toml keeps
# only lower bounds, for people who install riskmodel as a library.
PYTHON ?= python3
# Overridable so an install can be tried in a throwaway venv: `make install-test VENV=/tmp/v`.
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements/lock.txt
APP_EXTRAS := app,report,fast,workspace
# `make lock` resolves these, so the lock covers everything `make test` installs.
TEST_EXTRAS := app,report,cluster,sensitivity,fast,workspace,postgresql,dev

.PHONY: app test bench reports browser postgresql install-app install-test lock clean catalogs docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Each install first brings pip to the locked version, so the installer is the tested one
# too; a refreshed lock (a newer prerequisite than the stamp) reinstalls to its pins.
$(VENV)/.app: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK) pip
	$(BIN)/pip install --quiet -c $(LOCK) -e ".[$(APP_EXTRAS)]"
	touch $@

$(VENV)/.test: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK) pip
	$(BIN)/pip install --quiet -c $(LOCK) -e ".[$(TEST_EXTRAS)]"
	touch $@

# Refreshed on purpose only: the newest versions pyproject.toml allows, resolved in a clean
# venv (nothing carried over from .venv), then frozen. Run `make test` and commit the lock.
# pip is pinned with the rest; setuptools is left out: it is only the copy ensurepip puts in
# every 3.11 venv, nothing imports it, and builds take theirs from [build-system].
lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip; \
	"$$tmp/venv/bin/pip" install --quiet -e ".[$(TEST_EXTRAS)]"; \
	"$$tmp/venv/bin/pip" freeze --all --exclude-editable > "$$tmp/freeze.txt"; \
	{ echo "# Exact versions that \`make test\` and \`make app\` install (pip -c): the tested set."; \
	  echo "# Every package of riskmodel[$(TEST_EXTRAS)], riskmodel itself excluded."; \
	  echo "# Refresh on purpose with \`make lock\`, then \`make test\`, then commit this file."; \
	  "$$tmp/venv/bin/python" -c 'import datetime, platform; print(f"# Made {datetime.date.today()} on Python {platform.python_version()}, {platform.system()} {platform.machine()}, glibc {platform.libc_ver()[1]}.")'; \
	  grep -v '^setuptools==' "$$tmp/freeze.txt"; } > "$$tmp/lock.txt"; \
	mkdir -p $(dir $(LOCK)); mv "$$tmp/lock.txt" $(LOCK); \
	echo "wrote $(LOCK): $$(grep -vc '^#' $(LOCK)) pins"

# The browser test drives Debian's Chromium; nothing is downloaded by Playwright itself.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium fonts-nanum; }

# The workspace tests start a PostgreSQL server of their own (tests/databases.py) from Debian's package.
postgresql:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| { apt-get update -qq && apt-get install -y -qq postgresql; }

install-app: $(VENV)/.app
install-test: $(VENV)/.test

app: $(VENV)/.app
	$(BIN)/streamlit run app.py --server.headless true --browser.gatherUsageStats false

test: $(VENV)/.test browser postgresql
	$(BIN)/python -m pytest -n 2

# The speed targets (bench/targets.py): each with its ratio, CPU and wall time, and pass/fail.
bench: $(VENV)/.test
	$(BIN)/python bench/targets.py

# The sample business case in reports/ (HTML, PDF printed by Chromium, Excel).
reports: $(VENV)/.test browser
	$(BIN)/python reports/build.py

# The message catalogs (riskmodel/present/locale/<lang>.po, read by riskmodel.present.i18n):
# extract every message key from the code (locale/babel.cfg says where and how) into a template,
# then merge it into each language's catalog, keeping every translation. A new key arrives with
# an empty text and `make test` fails until both catalogs give it one; a key the code no longer
# uses is kept as obsolete (#~), which the tests flag too, so its text is at hand if the key
# returns. No fuzzy matching: keys are names, and a guess from a similar name is a wrong text.
# The template is a by-product, left in build/ (not committed: it would change its date on every
# run); start a new language from it with `pybabel init -i build/riskmodel.pot -l LANG -o ...`.
LOCALE := riskmodel/present/locale
catalogs: $(VENV)/.test
	@mkdir -p build
	$(BIN)/pybabel -q extract -F $(LOCALE)/babel.cfg --no-default-keywords -k t -k N_ \
	    --sort-output --add-location=file -o build/riskmodel.pot .
	for lang in en ko; do \
	    $(BIN)/pybabel -q update --no-fuzzy-matching --ignore-pot-creation-date \
	        -i build/riskmodel.pot -l $$lang -o $(LOCALE)/$$lang.po || exit 1; \
	done

# bench/.peers is the venv of the packages the benchmark compares against (bench/run.py).
clean:
	rm -rf $(VENV) bench/.peers .pytest_cache .hypothesis

# The scenario reference and JSON Schema, generated from the schema (tests/test_schema.py checks they are current).
docs: $(VENV)/.test
	$(BIN)/riskmodel schema --markdown --out docs/scenario-reference.md
	$(BIN)/riskmodel schema --out docs/scenario.schema.json
