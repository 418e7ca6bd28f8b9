# Two commands: `make run` and `make test`. Both set everything up first.
#
# `make run` installs only what the app needs; `make test` (and `make setup`) adds the
# development tools (the `dev` extras). Each is remembered by a stamp in .venv, older
# than pyproject.toml when that changed: so `make test` after `make run` installs the
# tools that are missing, and a changed pyproject.toml installs again.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --disable-pip-version-check -q
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test setup setup-run system lint bundle smoke benchmarks conformance clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $(RUN_STAMP)

# The dev extras include everything the app needs: both stamps are then up to date.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev]'
	touch $(RUN_STAMP) $(DEV_STAMP)

setup-run: $(RUN_STAMP)

setup: $(DEV_STAMP)

system:
	bash scripts/system-packages.sh

run: system setup-run
	$(BIN)/classroom-app

lint: setup
	$(BIN)/ruff check classroom_app tests benchmarks scripts models
	$(BIN)/lint-imports
	$(BIN)/mypy classroom_app/core classroom_app/hub

test: setup lint
	PYTHON=$(PYTHON) bash scripts/ralph-venv.sh
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

bundle: setup
	$(BIN)/pyinstaller --noconfirm --log-level WARN build.spec

smoke: bundle
	QT_QPA_PLATFORM=offscreen CLASSROOM_DATA_DIR=$$(mktemp -d) dist/classroom-app/classroom-app --smoke

# The xAPI conformance suite against the hub (Node and npm; the suite from ../shared/tools).
conformance: setup
	command -v node >/dev/null && command -v npm >/dev/null || bash scripts/system-packages.sh nodejs npm
	bash scripts/conformance.sh

benchmarks: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/face_demo.py
	$(BIN)/python benchmarks/vision.py
	$(BIN)/python benchmarks/gestures.py
	$(BIN)/python benchmarks/sync.py
	$(BIN)/python benchmarks/evaluation.py
	$(BIN)/python benchmarks/session.py
	$(BIN)/python benchmarks/sample_media.py

clean:
	rm -rf build dist $(VENV) .venv-mediapipe .venv-ralph
