# Two commands for a fresh Debian 12 machine:
#   make demo   build, then convert the bundled sample documents into SQLite
#   make test   build, then run every test
#   make bench  build, then measure throughput (docs/performance.md)
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
DEMO_DIR ?= demo-output
CONTRACT ?= examples/contracts/credit_card.json
BENCH_DOCUMENTS ?= 20000
BENCH_JSON ?= bench-output/bench.json
# The memory comparison (10,000 vs 200,000 generated documents) adds about
# four minutes; BENCH_FLAGS= leaves it out.
BENCH_FLAGS ?= --memory-scaling
XMLSHRED = $(BUILD_DIR)/xmlshred

.PHONY: all deps configure build demo test bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) -- --no-print-directory

demo: build
	@scripts/demo.sh $(XMLSHRED) $(DEMO_DIR) $(CONTRACT)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: build
	@mkdir -p $(dir $(BENCH_JSON))
	@$(XMLSHRED) bench --documents $(BENCH_DOCUMENTS) --contract $(CONTRACT) \
		--json $(BENCH_JSON) $(BENCH_FLAGS)

clean:
	rm -rf $(BUILD_DIR) $(DEMO_DIR)
