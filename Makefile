# LabelQA — every target installs or builds what it needs.
#   make run    build and open the workbench on the sample project
#   make test   everything CI runs
SHELL := /bin/bash
GO      ?= go
BIN     := bin/labelqa
VERSION := $(shell awk -F'"' '/^Version/ {print $$2}' FyneApp.toml)
LDFLAGS := -X labelqa/app/cli.Version=$(VERSION)
# The sample project lives in the user's data directory, generated on first use.
DATA_DIR ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/labelqa
DEMO_DIR := $(DATA_DIR)/demo

# Debian packages Fyne needs to build (cgo, OpenGL, X11), plus Xvfb and
# ImageMagick's import for the headless window smoke test.
APT_PKGS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
            libxinerama-dev libxi-dev libxxf86vm-dev libxkbcommon-dev xvfb xauth imagemagick

.PHONY: all deps deps-full deps-bench demo-reports build run test vet fmt fmt-check unit smoke bench bench-import compare demo package clean

all: build

# apt_ensure installs the Debian packages $(2) that are missing, with
# apt-get as root; for anyone else it prints the exact command and fails.
define apt_ensure
@missing=""; \
for p in $(2); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "make $(1): installing$$missing"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
  else \
    echo "make $(1): these Debian packages are missing:$$missing"; \
    echo "run:  sudo apt-get update && sudo apt-get install -y$$missing"; \
    exit 1; \
  fi; \
fi
endef

deps:
	$(call apt_ensure,deps,$(APT_PKGS))
	@command -v $(GO) >/dev/null || { echo "make deps: Go is missing; install Go 1.26 or newer from the Debian backports or go.dev"; exit 1; }

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .

$(DEMO_DIR)/demo.lqa: | build
	$(BIN) demo $(DEMO_DIR)

run: build $(DEMO_DIR)/demo.lqa
	$(BIN) $(DEMO_DIR)/demo.lqa

demo: build
	$(BIN) demo $(or $(DIR),demo-out)

vet:
	$(GO) vet ./...

fmt:
	gofmt -w .

fmt-check:
	@bad=$$(gofmt -l .); if [ -n "$$bad" ]; then echo "not gofmt-formatted:"; echo "$$bad"; exit 1; fi

# Unit and integration tests; app/ and analysis/ again under the race detector
# (-short there: the slowest data-set and crash tests already ran above).
unit:
	$(GO) test ./...
	$(GO) test -race -short ./app/... ./analysis/...

# The real window under Xvfb: starts the binary on the demo project, takes a
# screenshot, and fails if the window did not draw.
smoke: build
	$(GO) test -tags smoke -run 'TestWindowSmoke|TestHeadlessStderrClean' -count=1 -v .

test: deps vet fmt-check unit smoke

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./app/... ./analysis/...

# What the side-by-side comparisons run against: Debian's pandas, scikit-learn
# and statsmodels (scripts/compare_python.sh), the sqlite3 shell and GNU time
# for peak memory (scripts/import_vs_sqlite.sh). Never part of deps or test.
BENCH_PKGS := python3-pandas python3-sklearn python3-statsmodels sqlite3 time

deps-bench:
	$(call apt_ensure,deps-bench,$(BENCH_PKGS))

# labelqa metrics against pandas + scikit-learn + statsmodels on the same
# 1M-judgment file, run alternately (ROWS, RUNS override; docs/PERFORMANCE.md).
compare: build deps-bench
	scripts/compare_python.sh

# labelqa import of a 1 M-row CSV against sqlite3 .import, alternating (RUNS=5).
bench-import: deps-bench
	scripts/import_vs_sqlite.sh $(or $(RUNS),5)

package: deps
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package --release

# LibreOffice for the test that opens every workbook (converted to PDF
# headlessly) and for rendering docs/REPORTS.md's pictures (with poppler's
# pdftoppm). Never part of deps or test: the test skips without it.
FULL_PKGS := libreoffice-calc-nogui poppler-utils fonts-dejavu-core

deps-full: deps
	$(call apt_ensure,deps-full,$(FULL_PKGS))

# Every workbook of the demo project, in English, Indonesian and Norwegian:
# demo-reports/LANG/{kpi,rca,audit-VENDOR,vendor-VENDOR}.xlsx.
REPORT_VENDOR ?= Fjord Review AS
demo-reports: build $(DEMO_DIR)/demo.lqa
	@for l in en id nb; do \
	  $(BIN) report all $(DEMO_DIR)/demo.lqa -o demo-reports/$$l --lang $$l --vendor "$(REPORT_VENDOR)" --size 200 --seed 1 || exit 1; \
	done

clean:
	rm -rf bin demo-out demo-reports
