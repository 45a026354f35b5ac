# vessel: build, demo and test. Every target runs as root on Debian 12.
export PATH := /usr/local/go/bin:$(PATH)
GO       ?= go
BATS     ?= bats
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
COMMIT   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
# Static: cgo compiles the nsenter stub, glibc is linked in; netgo and osusergo
# keep the Go side free of NSS, which a static glibc cannot load.
TAGS     := netgo osusergo
LDFLAGS  := -s -w -X main.version=$(VERSION) -X main.gitCommit=$(COMMIT) -extldflags -static
SOURCES  := $(shell find . -path ./tests -prune -o \( -name '*.go' -o -name '*.c' -o -name '*.h' \) -print) go.mod go.sum

.PHONY: all man docs deps demo test unit integration test-clients test-cgroupv2 test-cgroupv1 conformance fuzz lint clean

all: vessel

vessel: $(SOURCES)
	CGO_ENABLED=1 $(GO) build -trimpath -buildvcs=false -tags "$(TAGS)" -ldflags "$(LDFLAGS)" -o $@ .

man: vessel
	mkdir -p man
	./vessel generate-man > man/vessel.8

# docs/commands/*.md from the CLI's help texts (a unit test checks them).
docs: vessel
	./vessel generate-docs docs/commands

deps:
	scripts/deps.sh

demo: deps vessel
	VESSEL=$(CURDIR)/vessel scripts/demo.sh

# Everything: unit tests (root ones included), bats integration tests on the
# host, containerd, podman and Docker driving vessel, and the cgroup suites
# in throwaway pure v2 and v1 VMs.
test: deps vessel lint unit integration test-clients test-cgroupv2 test-cgroupv1

unit:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

integration: vessel
	VESSEL=$(CURDIR)/vessel $(BATS) --timing tests/integration

# containerd (ctr and the runc v2 shim), podman (conmon) and dockerd, each
# started by the tests on private sockets, with vessel as their runtime.
test-clients: vessel
	VESSEL=$(CURDIR)/vessel $(BATS) --timing tests/clients

test-cgroupv2: vessel
	tests/vm/cgroup-v2.sh

test-cgroupv1: vessel
	tests/vm/cgroup-v1.sh

conformance: vessel
	scripts/conformance.sh

fuzz:
	scripts/fuzz.sh 10s

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	$(GO) vet ./...
	clang-format --dry-run -Werror nsenter/*.c nsenter/*.h
	shellcheck .ci/run scripts/*.sh tests/vm/*.sh tests/integration/helpers.bash tests/clients/helpers.bash

clean:
	rm -f vessel
