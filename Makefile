# LeadSync: two commands do all the set-up on a fresh Debian machine.
#   make run   - build, then run the whole pipeline on the embedded default: mock Kafka, the Marketo and
#                Salesforce sandboxes, the fold and both writers fed by the simulation, with a summary and a
#                check that the sandboxes hold exactly the fold's state (LEADS=n for another size)
#   make test  - build and run every test (unit and integration, on the mock cluster over TCP)
SHELL := /bin/bash
SWIFT ?= swift

.PHONY: deps build run dev-cluster lint format check-imports docs test validate-k8s bench-pipe clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product leadsync

LEADS ?= 2000

run: build
	$(SWIFT) run leadsync run --leads $(LEADS)

dev-cluster: build
	$(SWIFT) run leadsync dev-cluster

# The style is .swift-format's (4 spaces, 120 columns); swift-format leaves long string literals and comments as
# they are, so a grep holds those to 120 columns too. `make format` rewrites the tree in place.
SWIFT_SOURCES := Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive $(SWIFT_SOURCES)
	@if grep -rn --include='*.swift' '.\{121,\}' $(SWIFT_SOURCES); then \
		echo "lint: the lines above are over 120 columns"; exit 1; fi

format:
	$(SWIFT) format format --in-place --recursive $(SWIFT_SOURCES)

# Tests run one at a time: many of them run real processes, a mock cluster and HTTP sandboxes with timeouts, and
# on a 2-core machine running them all at once starves them into spurious timeouts.
test: deps lint check-imports
	$(SWIFT) build --build-tests
	scripts/build-docs.sh
	$(SWIFT) test --skip-build --no-parallel
	@if command -v $${KUBECTL:-kubectl} >/dev/null 2>&1; then scripts/validate-k8s.sh; \
	else echo "WARNING: kubectl not found: the k8s/ manifests were NOT validated (scripts/validate-k8s.sh)"; fi

# Every module a target imports is declared in Package.swift (an undeclared one builds only by accident).
check-imports:
	scripts/check-imports.py

# Every DocC catalog builds without a warning (a stale symbol link, an undocumented parameter); make test runs it.
docs:
	scripts/build-docs.sh

validate-k8s:
	scripts/validate-k8s.sh

bench-pipe: deps
	Benchmarks/pipe/run.sh

clean:
	rm -rf .build .leadsync
