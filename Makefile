# annostore: `make demo` runs a tour on the bundled example, `make test` runs every test.
# Both install what they need first (Debian packages, Python test tools).

SWIFT ?= swift
PYTHON ?= python3
RELEASE_BIN := .build/release/annostore
DEBUG_BIN := .build/debug/annostore

.PHONY: all deps test-deps build release demo test unit-test e2e-test lint bench clean

all: build

# System libraries the package links: libgit2, libdeflate, zlib, libcrypto.
deps:
	@Tools/install-deps.sh

test-deps: deps
	@Tools/install-deps.sh --test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: release
	@Tools/demo.sh $(RELEASE_BIN)

unit-test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

e2e-test: test-deps
	$(SWIFT) build
	ANNOSTORE_BIN=$(CURDIR)/$(DEBUG_BIN) $(PYTHON) -m pytest -q Tests/e2e Tests/tools

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

test: unit-test e2e-test lint

# The benchmark: BENCH_N=100000 make bench for a quick run (default 1,000,000 annotations).
bench: release
	ANNOSTORE_BIN=$(CURDIR)/$(RELEASE_BIN) $(PYTHON) Tools/bench.py

clean:
	rm -rf .build demo-output
