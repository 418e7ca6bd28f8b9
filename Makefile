# Two commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system lint bundle smoke benchmarks clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

system:
	bash scripts/system-packages.sh

run: system setup
	$(BIN)/classroom-app

lint: setup
	$(BIN)/ruff check classroom_app tests benchmarks scripts models
	$(BIN)/lint-imports

test: setup lint
	PYTHON=$(PYTHON) bash scripts/ralph-venv.sh
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

bundle: setup
	$(BIN)/pyinstaller --noconfirm --log-level WARN build.spec

smoke: bundle
	QT_QPA_PLATFORM=offscreen CLASSROOM_DATA_DIR=$$(mktemp -d) dist/classroom-app/classroom-app --smoke

benchmarks: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/face_demo.py
	$(BIN)/python benchmarks/vision.py
	$(BIN)/python benchmarks/gestures.py
	$(BIN)/python benchmarks/sync.py
	$(BIN)/python benchmarks/evaluation.py
	$(BIN)/python benchmarks/session.py

clean:
	rm -rf build dist $(VENV) .venv-mediapipe .venv-ralph
