# The two commands a newcomer runs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench screenshots deb translations clean

$(BIN)/kiosk: pyproject.toml
	bash packaging/install-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[server,test]'
	touch $@

demo: $(BIN)/kiosk
	$(BIN)/kiosk demo

test: $(BIN)/kiosk
	bash packaging/install-deps --test
	$(BIN)/lint-imports
	bash packaging/run-tests

bench: $(BIN)/kiosk
	$(BIN)/pytest tests/bench -s -p no:randomly

screenshots: $(BIN)/kiosk
	KIOSK_DATA_DIR=$$(mktemp -d) QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" \
		$(BIN)/kiosk screenshots --out docs/screenshots

translations: $(BIN)/kiosk
	PATH=$(CURDIR)/$(BIN):$$PATH kiosk/ui/translations/build.sh

deb: $(BIN)/kiosk
	bash packaging/build-deb --out dist

clean:
	rm -rf $(VENV) var .pytest_cache
