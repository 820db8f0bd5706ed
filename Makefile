# Lancer: supervisord and superlance rebuilt in Go.
# `make run` and `make test` do all set-up on a fresh Debian/Ubuntu machine with Go.

SHELL    := /bin/bash
GO       ?= go
BIN      := bin
VERSION  := $(shell git describe --always --dirty --tags 2>/dev/null || echo dev)
LDFLAGS  := -s -w -buildid= -X github.com/lancerhq/lancer/internal/version.Version=$(VERSION)
# nethttpomithttp2 leaves net/http's bundled HTTP/2 out of every binary:
# nothing of ours speaks it (supervisord serves HTTP/1.1 without TLS, as the
# reference does, and the listeners' probes and webhooks need no more than
# 1.1), and its code is resident in every process that links it (about
# 0.25 MB of supervisord's RSS).
GOTAGS   := nethttpomithttp2
GOBUILD  := CGO_ENABLED=0 $(GO) build -trimpath -tags '$(GOTAGS)' -ldflags '$(LDFLAGS)'
# Each binary and the package it is built from; a binary whose package does
# not exist yet is skipped, so `make build` works at every stage.
BINARIES := supervisord=./core/cmd/supervisord \
            supervisorctl=./core/cmd/supervisorctl \
            echo_supervisord_conf=./core/cmd/echo_supervisord_conf \
            memmon=./listeners/memmon \
            httpok=./listeners/httpok \
            crashmail=./listeners/crashmail \
            crashmailbatch=./listeners/crashmailbatch \
            fatalmailbatch=./listeners/fatalmailbatch \
            crashsms=./listeners/crashsms \
            demoapp=./deploy/examples/demoapp
FUZZTIME ?= 30s
# Every fuzz target as package:FuzzName.
FUZZERS  := ./protocol:FuzzParseHeader ./protocol:FuzzReadEvent \
            ./protocol:FuzzReadResult ./protocol:FuzzParsePayload \
            ./protocol/xmlrpc:FuzzDecodeXMLRPC \
            ./core/internal/config:FuzzParseConfig \
            ./core/internal/logcap:FuzzCapture \
            ./core/internal/eventpool:FuzzListenerOutput \
            ./core/internal/rpc:FuzzHandler \
            ./core/internal/metrics:FuzzExposition \
            ./listeners/internal/cli:FuzzParseByteSize \
            ./listeners/internal/cli:FuzzExpand \
            ./listeners/internal/alert:FuzzSplitCommand \
            ./listeners/memmon:FuzzParseArgs \
            ./listeners/httpok:FuzzParseStatusRange

.PHONY: all build test deps vet unit fuzz run bench clean

all: build

build:
	@mkdir -p $(BIN)
	@for b in $(BINARIES); do \
		name=$${b%%=*}; pkg=$${b#*=}; \
		if [ -d "$$pkg" ]; then \
			echo "build $(BIN)/$$name"; \
			$(GOBUILD) -o $(BIN)/$$name $$pkg || exit 1; \
		fi; \
	done

# deps installs what the tests need when it is missing, from apt: the
# Python supervisor 4.2.5 package, the oracle the end-to-end tests compare
# with, Prometheus, which scrapes our /metrics in an end-to-end test
# (without its recommended node exporter and SMART tools), and Alertmanager,
# which receives our listeners' alerts in another, and systemd-analyze, which
# checks the systemd unit in deploy/.
deps:
	@pkgs=""; \
	if ! /usr/bin/python3 -c 'import supervisor' 2>/dev/null || [ ! -x /usr/bin/supervisord ]; then pkgs="$$pkgs supervisor"; fi; \
	if [ ! -x /usr/bin/prometheus ]; then pkgs="$$pkgs prometheus"; fi; \
	if [ ! -x /usr/bin/prometheus-alertmanager ]; then pkgs="$$pkgs prometheus-alertmanager"; fi; \
	if ! command -v systemd-analyze >/dev/null; then pkgs="$$pkgs systemd"; fi; \
	if [ -n "$$pkgs" ]; then \
		echo "installing test dependencies:$$pkgs"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$pkgs >/dev/null; \
	fi
	@/usr/bin/supervisord -v | grep -q '^4\.2\.' || { echo "need Python supervisord 4.2.x at /usr/bin/supervisord"; exit 1; }

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

unit:
	$(GO) test -race -count=1 -p 2 -timeout 10m ./...

# test: everything CI checks. The end-to-end tests live in ./e2e and run
# with the rest; the fuzzers run 50,000 inputs each (a few seconds). A
# count, not a duration: Go 1.26's fuzz coordinator can fail a run that
# ends on a wall-clock -fuzztime with a spurious "context deadline
# exceeded" (golang/go#75804, fixed in Go 1.27).
test: deps vet unit
	@$(MAKE) --no-print-directory fuzz FUZZTIME=50000x

fuzz:
	@for f in $(FUZZERS); do \
		pkg=$${f%%:*}; name=$${f#*:}; \
		echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	done

# run builds everything and starts supervisord in the foreground on the demo
# config, with its logs in a fresh temporary directory. Ctrl-C stops it.
run: build
	@export LANCER_DEMO_DIR=$$(mktemp -d -t lancer-demo.XXXXXX); \
	echo "demo logs in $$LANCER_DEMO_DIR; web page at http://127.0.0.1:8080/"; \
	exec $(BIN)/supervisord -n -c deploy/examples/demo.conf

bench: deps build
	$(GO) test -run='^$$' -bench=. -benchtime=1x -timeout 30m ./bench/...

clean:
	rm -rf $(BIN)
