# InformerScope. `make run` serves the page on http://127.0.0.1:8080;
# `make test` runs every test, the real-browser one included.

SHELL := bash
GO ?= go
# The server binds loopback only unless told otherwise: ADDR=0.0.0.0:8080
# would expose it to the network.
ADDR ?= 127.0.0.1:8080
SERVER := bin/informerscope
WASM := web/app.wasm
# A cold build of the server or of app.wasm takes about a minute on two
# cores, and the browser test builds both.
TEST_TIMEOUT ?= 10m
# Packages whose tests also run compiled to js/wasm, under node.
WASM_TEST_PKGS ?= ./informer/...
# go test runs js/wasm test binaries through go_js_wasm_exec, found on PATH.
WASM_EXEC_DIR = $(shell $(GO) env GOROOT)/lib/wasm
BENCH_PKGS ?= ./informer/... ./app/...
# Fuzz targets as package:FuzzName pairs. make test runs their seed corpora.
FUZZ_TARGETS ?= ./informer:FuzzQueueDifferential ./informer/scenario:FuzzParse
FUZZTIME ?= 30s
# URL path the static site is hosted under, e.g. the repository name on
# GitHub Pages; empty for the root of a domain.
PREFIX ?=

.PHONY: run build wasm server test bench fuzz static site clean

build: wasm server

# -s -w: no symbol table or DWARF, 2% smaller; panics still name functions.
wasm:
	GOOS=js GOARCH=wasm $(GO) build -ldflags=-s\ -w -o $(WASM) .

server:
	$(GO) build -o $(SERVER) .

# The server serves ./web, so it runs from the repository root.
# RUN_FLAGS adds server flags, e.g. RUN_FLAGS='--kubeconfig ~/.kube/config
# --context kind-dev' to watch a real cluster through the read-only proxy
# (KUBECONFIG in the environment does the same).
RUN_FLAGS ?=
run: build
	./$(SERVER) -addr $(ADDR) $(RUN_FLAGS)

# The wasm build comes first: it fails fast on code that only breaks in the
# browser build, and warms the cache the browser test builds from.
# One real kube-apiserver v1.37.2 + etcd (hack/kube-apiserver; built once
# into the user cache, ~9 min on a fresh machine, then ~4 s to start) serves
# the whole go test run; tests find it through INFORMERSCOPE_KUBE_ENV
# (internal/kubetest) and must not skip it. The trap stops it even when a
# test fails.
test:
	./hack/deps.sh
	$(MAKE) wasm
	run=$$(mktemp -d) && trap 'hack/kube-apiserver/stop.sh "$$run"; rm -rf "$$run"' EXIT && \
		hack/kube-apiserver/start.sh "$$run" >/dev/null && \
		INFORMERSCOPE_KUBE_ENV="$$run/env" INFORMERSCOPE_REQUIRE_CLUSTER=1 INFORMERSCOPE_REQUIRE_BROWSER=1 \
		$(GO) test -timeout $(TEST_TIMEOUT) ./...
	PATH="$$PATH:$(WASM_EXEC_DIR)" GOOS=js GOARCH=wasm $(GO) test -timeout $(TEST_TIMEOUT) $(WASM_TEST_PKGS)

# Sub-benchmarks named ours and client-go run in one process; benchratio
# prints their ratio after the usual output. The real kube-apiserver is
# there for informer/remote's initial list of 5,000 ConfigMaps through the
# proxy (seeded on the first run, ~10 s).
bench:
	run=$$(mktemp -d) && trap 'hack/kube-apiserver/stop.sh "$$run"; rm -rf "$$run"' EXIT && \
		hack/kube-apiserver/start.sh "$$run" >/dev/null && \
		set -o pipefail && INFORMERSCOPE_KUBE_ENV="$$run/env" INFORMERSCOPE_REQUIRE_CLUSTER=1 \
		$(GO) test -run '^$$' -bench . -benchmem $(BENCH_PKGS) | $(GO) run ./hack/benchratio && \
		echo "the page in headless Chromium:" && \
		INFORMERSCOPE_KUBE_ENV="$$run/env" INFORMERSCOPE_REQUIRE_CLUSTER=1 $(GO) test -run '^$$' -bench Browser -benchtime 1x -timeout 30m .
	@echo "deterministic runtime in js/wasm under node:"
	PATH="$$PATH:$(WASM_EXEC_DIR)" GOOS=js GOARCH=wasm $(GO) test -run '^$$' -bench DeterministicSteps ./informer/sim/
	@echo "simulated server into an informer, in js/wasm under node:"
	PATH="$$PATH:$(WASM_EXEC_DIR)" GOOS=js GOARCH=wasm $(GO) test -run '^$$' -bench 'MockEvents|InitialList10k' -benchtime 2x ./informer/scenario/

# go test -fuzz takes one package and one target at a time.
fuzz:
	@if [ -z "$(FUZZ_TARGETS)" ]; then echo "make fuzz: FUZZ_TARGETS is empty (package:FuzzName ...)"; fi
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*} fn=$${t#*:}; \
		echo "$(GO) test -run '^$$' -fuzz '^$$fn\$$' -fuzztime $(FUZZTIME) $$pkg"; \
		$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

# The static site: every page and resource, for any static file server,
# under PREFIX if set (make static PREFIX=informerscope for GitHub Pages'
# /informerscope/). go-app writes the pages and its scripts; server.go
# copies web/ beside them. Everything but watching a real cluster works
# from it.
static: build
	rm -rf site
	./$(SERVER) -gen site $(if $(PREFIX),-prefix $(PREFIX))

site: static

clean:
	rm -rf bin site $(WASM)
