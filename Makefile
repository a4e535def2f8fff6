# natreport: the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
BIN     := bin/natreport
DB      ?= data/natreport.db
ADDR    ?= :8080
VULNDB  := $(abspath ../shared/vulndb)

.PHONY: run build test check unit fuzz crash-test generate bench bench-go load clean

## run: build and serve on a local SQLite file with demo data (URL and demo sign-ins printed)
run: build
	@mkdir -p $(dir $(DB))
	$(BIN) serve -demo -db $(DB) -addr $(ADDR) -base-url http://localhost$(ADDR)

build:
	$(GO) build -o $(BIN) ./cmd/natreport

## test: every check and every test (unit, handler, browser, PDF; PostgreSQL too when DATABASE_URL is set)
test: check unit fuzz

check:
	@echo "== gofmt"; out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@echo "== go vet"; $(GO) vet ./...
	@echo "== staticcheck"; $(GO) tool staticcheck ./...
	@echo "== templ generated files up to date"; .ci/check-templ
	@echo "== govulncheck (offline database, see ../shared/vulndb/README.md)"; \
	if [ -d "$(VULNDB)" ]; then $(GO) tool govulncheck -db "file://$(VULNDB)" ./...; \
	elif [ "$$CI" = "true" ]; then echo "vulnerability database $(VULNDB) missing"; exit 1; \
	else echo "skipped: $(VULNDB) not found"; fi

unit:
	$(GO) test -count=1 -timeout 30m ./...

## fuzz: each fuzz target for a few seconds on its committed corpus (testdata/fuzz) and what it finds;
##       one instrumented test binary per package, run once per target (go test -fuzz takes one target)
FUZZTIME ?= 3s
FUZZ := surveys:FuzzParse surveys:FuzzParseAnswer surveys:FuzzCheckText handlers:FuzzForms handlers:FuzzSafeNext
fuzz:
	@set -e; bin=$$(mktemp -d); trap 'rm -rf "$$bin"' EXIT; \
	cache=$$($(GO) env GOCACHE)/fuzz/$$($(GO) list -m); \
	for pkg in $$(for t in $(FUZZ); do echo $${t%%:*}; done | sort -u); do \
	  first=$$(for t in $(FUZZ); do case $$t in $$pkg:*) echo $${t#*:};; esac; done | head -1); \
	  $(GO) test -c -fuzz "^$$first$$" -o "$$bin/$$pkg.test" ./$$pkg; done; \
	for t in $(FUZZ); do pkg=$${t%%:*}; fn=$${t#*:}; echo "== fuzz $$fn ($(FUZZTIME))"; \
	  (cd $$pkg && "$$bin/$$pkg.test" -test.run '^$$' -test.fuzz "^$$fn$$" -test.fuzztime $(FUZZTIME) \
	    -test.fuzzcachedir "$$cache/$$pkg") >/tmp/natreport-fuzz.log 2>&1 || { cat /tmp/natreport-fuzz.log; exit 1; }; done

## crash-test: SIGKILL natreport (and PostgreSQL) under autosave load, check every acknowledged save; ROUNDS per database
##             (PostgreSQL when DATABASE_URL is set: a throwaway cluster of its own, not that server);
##             the broken variant (acknowledges before committing) must be caught on each database and each kind of kill
ROUNDS ?= 20
crash-test:
	$(GO) run ./scripts/crashtest -db sqlite -rounds $(ROUNDS)
	$(GO) run ./scripts/crashtest -db sqlite -rounds 3 -broken
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "$(GO) run ./scripts/crashtest -db postgres -rounds $(ROUNDS)"; $(GO) run ./scripts/crashtest -db postgres -rounds $(ROUNDS) && \
	  echo "$(GO) run ./scripts/crashtest -db postgres -rounds 4 -broken"; $(GO) run ./scripts/crashtest -db postgres -rounds 4 -broken; \
	else echo "crash-test: DATABASE_URL not set, PostgreSQL skipped"; fi

## generate: regenerate templ views
generate:
	$(GO) tool templ generate

BENCH_DURATION ?= 5s
BENCH_RUNS     ?= 3
BENCH_FLAGS    ?=

## bench: build the server, generate 193 States, measure every figure next to its ceiling, write docs/BENCHMARKS.md
##        (a quick run: make bench BENCH_DURATION=1s BENCH_RUNS=1; more flags: go run ./cmd/natbench -h)
bench:
	$(GO) run ./cmd/natbench -out docs/BENCHMARKS.md -duration $(BENCH_DURATION) -runs $(BENCH_RUNS) $(BENCH_FLAGS)

## bench-go: the Go micro-benchmarks (autosave, section page, PDF vs Chromium, the PDF writer)
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./handlers ./reports

## load: a load run with wrk on loopback; see docs/BENCHMARKS.md
load: build
	scripts/load.sh

clean:
	rm -rf bin
