# LeadSync: two commands do all the set-up on a fresh Debian machine.
#   make run   - build, then start the local Kafka (librdkafka's mock cluster) with the topics of topics/
#   make test  - build and run every test (unit and integration, on the mock cluster over TCP)
SHELL := /bin/bash
SWIFT ?= swift

.PHONY: deps build run test bench-pipe clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product leadsync

run: build
	$(SWIFT) run leadsync dev-cluster

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench-pipe: deps
	Benchmarks/pipe/run.sh

clean:
	rm -rf .build .leadsync
