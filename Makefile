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

# Every screen in Chinese, English (en/) and elder mode (elder/) at 1920×1080; portrait in Chinese.
screenshots: $(BIN)/kiosk
	KIOSK_DATA_DIR=$$(mktemp -d) QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" \
		$(BIN)/kiosk screenshots --out docs/screenshots
	shots=$$(mktemp -d) && KIOSK_DATA_DIR=$$(mktemp -d) QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1080x1920x24" \
		$(BIN)/kiosk screenshots --size 1080x1920 --out $$shots && cp $$shots/*.png docs/screenshots/portrait/

translations: $(BIN)/kiosk
	PATH=$(CURDIR)/$(BIN):$$PATH kiosk/ui/translations/build.sh

deb: $(BIN)/kiosk
	bash packaging/build-deb --out dist

clean:
	rm -rf $(VENV) var .pytest_cache
