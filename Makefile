# Thin wrapper around CMake (cmark style). Targets:
#   make          release build in build/
#   make demo     install deps, build, ingest the bundled corpus into tumen.db, print the
#                 Russia-DPRK summary and write report.html
#   make check    install deps, build with ASan+UBSan in build-asan/ and run every CTest test
#   make asan     the sanitizer build only
#   make bench    release build, then bench/run.sh
#   make fuzz     clang libFuzzer targets in build-fuzz/, short runs
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BENCH_EVENTS ?= 1000000
BUILD ?= build
CMAKE ?= cmake

.PHONY: all deps demo check asan bench fuzz clean format
all:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DTUMEN_TESTS=OFF >/dev/null
	$(CMAKE) --build $(BUILD) -j $(JOBS)

deps:
	sh scripts/install-deps.sh

demo: deps all
	sh scripts/demo.sh $(BUILD)/tumen

asan:
	$(CMAKE) -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTUMEN_SANITIZE=ON -DTUMEN_WERROR=ON >/dev/null
	$(CMAKE) --build build-asan -j $(JOBS)

check: deps asan
	cd build-asan && ctest --output-on-failure -j $(JOBS)

bench: all
	sh bench/run.sh $(BUILD)/tumen
	sh bench/store.sh $(BUILD) $(BENCH_EVENTS)

fuzz:
	CC=clang $(CMAKE) -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DTUMEN_FUZZ=ON -DTUMEN_TESTS=OFF >/dev/null
	$(CMAKE) --build build-fuzz -j $(JOBS)
	sh fuzz/run.sh build-fuzz

clean:
	rm -rf build build-asan build-fuzz

format:
	clang-format -i include/*.h src/lib/*.[ch] src/cli/*.[ch] tests/unit/*.[ch] fuzz/*.c
