# LeadSync: two commands do all the set-up on a fresh Debian machine.
#   make run   - build, then run the whole pipeline on the embedded default: mock Kafka, the Marketo and
#                Salesforce sandboxes, the fold and both writers fed by the simulation, with a summary and a
#                check that the sandboxes hold exactly the fold's state (LEADS=n for another size)
#   make test  - build and run every test (unit and integration, on the mock cluster over TCP)
SHELL := /bin/bash
SWIFT ?= swift

.PHONY: deps build run dev-cluster test check-imports validate-k8s bench-pipe clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product leadsync

LEADS ?= 2000

run: build
	$(SWIFT) run leadsync run --leads $(LEADS)

dev-cluster: build
	$(SWIFT) run leadsync dev-cluster

# Tests run one at a time: many of them run real processes, a mock cluster and HTTP sandboxes with timeouts, and
# on a 2-core machine running them all at once starves them into spurious timeouts.
test: deps check-imports
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel
	@if command -v $${KUBECTL:-kubectl} >/dev/null 2>&1; then scripts/validate-k8s.sh; \
	else echo "WARNING: kubectl not found: the k8s/ manifests were NOT validated (scripts/validate-k8s.sh)"; fi

# Every module a target imports is declared in Package.swift (an undeclared one builds only by accident).
check-imports:
	scripts/check-imports.py

validate-k8s:
	scripts/validate-k8s.sh

bench-pipe: deps
	Benchmarks/pipe/run.sh

clean:
	rm -rf .build .leadsync
