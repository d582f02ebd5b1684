# Two commands on a fresh machine: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export SERVICEPACT_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-only bench sysdeps install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,bench]"
	touch $(STAMP)

install: $(STAMP) sysdeps

# Headless Chromium for the browser tests, CJK fonts for Chinese pages and PDFs, poppler for reading
# PDFs back in tests. Installed from Debian's packages when missing (the machines run as root).
sysdeps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install
	$(BIN)/servicepact migrate --no-input
	$(BIN)/servicepact demo --if-empty
	$(BIN)/servicepact serve --host $(HOST) --port $(PORT)

test: install test-only

test-only:
	SERVICEPACT_DATA_DIR=$(CURDIR)/var/test $(BIN)/pytest -n 2 -p no:cacheprovider

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
