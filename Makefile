# Two commands on a fresh machine: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export SERVICEPACT_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-only lint bench install-run install-test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,bench]"
	touch $(STAMP)

# System packages from Debian's, installed when missing (the machines run as root):
# to run, Pango for PDF reports and CJK fonts for Chinese pages and PDFs; to test, also headless
# Chromium for the browser tests, poppler to read PDFs back, gettext to check the translations and
# PostgreSQL's client programs (pg_dump, pg_restore) for the backup round trip.
RUN_PACKAGES := libpango-1.0-0:libpango-1.0.so.0 libpangoft2-1.0-0:libpangoft2-1.0.so.0 fonts-noto-cjk:
TEST_PACKAGES := chromium:chromium poppler-utils:pdftoppm gettext:msgfmt postgresql-client:pg_dump \
	nodejs:node npm:npm slapd:slapd ldap-utils:ldapadd dovecot-imapd:dovecot
# The benchmarks drive the servers with wrk.
BENCH_PACKAGES := wrk:wrk
# The OpenID provider the single sign-on tests start: the certified npm package, kept beside the venv.
OIDC_PROVIDER := oidc-provider@8.8.1
OIDC_PROVIDER_DIR := $(VENV)/oidc-provider

define ensure_packages
	@missing=""; \
	for entry in $(1); do \
	  package=$${entry%%:*}; probe=$${entry#*:}; \
	  case "$$package" in \
	    fonts-noto-cjk) fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing $$package";; \
	    lib*) ldconfig -p | grep -q "$$probe" || missing="$$missing $$package";; \
	    *) { command -v "$$probe" || test -x "/usr/sbin/$$probe"; } >/dev/null || missing="$$missing $$package";; \
	  esac; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  case " $$missing " in *" slapd "*) \
	    echo "slapd slapd/no_configuration boolean true" | debconf-set-selections;; esac; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

install-run: $(STAMP)
	$(call ensure_packages,$(RUN_PACKAGES))

install-test: install-run
	$(call ensure_packages,$(TEST_PACKAGES))
	@test -f $(OIDC_PROVIDER_DIR)/node_modules/oidc-provider/package.json || \
	  npm install --prefix $(OIDC_PROVIDER_DIR) --no-audit --no-fund --silent $(OIDC_PROVIDER)

run: install-run
	$(BIN)/servicepact migrate --no-input
	$(BIN)/servicepact demo --if-empty
	$(BIN)/servicepact serve --host $(HOST) --port $(PORT)

test: install-test test-only

test-only:
	SERVICEPACT_DATA_DIR=$(CURDIR)/var/test $(BIN)/pytest -n 2 -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install-run
	$(call ensure_packages,$(BENCH_PACKAGES))
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
