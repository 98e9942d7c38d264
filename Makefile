# Scorch: `make run` profiles this machine; `make test` builds and runs every test. Both install what is missing.
SWIFT ?= swift
# Build: libbpf, libdw/libelf and libzstd headers. Run: libc6-dbg gives libc frames file:line.
BUILD_PACKAGES := libbpf-dev libelf-dev libdw-dev libzstd-dev zlib1g-dev pkg-config libc6-dbg
# Tests: go tool pprof as a real client, eu-addr2line as an oracle, g++ for C++ fixtures, chromium for the UI test.
TEST_PACKAGES := golang-go elfutils g++ procps util-linux chromium python3-venv
# Benchmarks: perf as the peer.
BENCH_PACKAGES := linux-perf time

STORE ?= /var/lib/scorch

.PHONY: all build release run test deps test-deps bench-deps clean

all: build

deps:
	@scripts/install-deps.sh $(BUILD_PACKAGES)

test-deps: deps
	@scripts/install-deps.sh $(TEST_PACKAGES)
	@scripts/install-python-tools.sh

bench-deps: test-deps
	@scripts/install-deps.sh $(BENCH_PACKAGES)

build: deps
	$(SWIFT) build

# The Swift runtime and Foundation linked statically: the agent then touches only the pages it uses (about 4 MB
# less RSS than with the toolchain's shared libraries) and runs on hosts without a Swift toolchain.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# The main job: the continuous agent with the embedded store (Ctrl-C stops it; then `scorch query --store $(STORE)`).
run: release
	.build/release/scorch agent --store $(STORE)

# Serially: the end-to-end tests measure CPU splits and idle time on the real kernel, so they must not share the CPUs
# with each other.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --no-parallel

clean:
	rm -rf .build
