# SPDX-License-Identifier: GPL-2.0
#
# qcomtee: the Qualcomm TEE backend driver, its simulated QTEE and tests.
#
#   make run    boot QEMU with the driver and the simulated QTEE, run the demo
#   make test   install what is missing, prepare the kernel tree, build and
#               run all tests on QEMU arm64 (KUnit suites, the userspace
#               selftests, then the board kernel on the test firmware);
#               prints "N passed, N failed[, N skipped]"
#   make check  checkpatch --strict, sparse (C=2) and W=1 builds
#   make bench  benchmarks on a non-debug kernel (table + build/bench.json)
#   make bench-compare OLD=<json> [NEW=<json>]  two bench results side by
#               side with new/old (NEW defaults to build/bench.json)
#   make fuzz   the fuzz suites with a larger budget (FUZZ_ITERS, FUZZ_SEEDS)
#   make fresh-check  make run + make test in a new Debian 12 minbase chroot
#               on a clone of HEAD (root; not part of make test)
#   make coverage  gcov line coverage of the driver (build/coverage.txt)

T := tools/testing/qcomtee

.PHONY: all deps prepare test kunit selftests check run bench bench-compare fuzz fresh-check coverage clean distclean

all: test

deps:
	@$(T)/install-deps.sh

prepare: deps
	@$(T)/prepare-tree.sh

kunit: prepare
	@$(T)/run-kunit.sh

selftests: prepare
	@$(T)/run-selftests.sh

test: prepare
	@$(T)/run-tests.sh

check: prepare
	@$(T)/check.sh

run: prepare
	@$(T)/run-demo.sh

bench: prepare
	@$(T)/run-bench.sh

NEW ?= build/bench.json
bench-compare:
	@test -n "$(OLD)" || { echo "usage: make bench-compare OLD=<json> [NEW=<json>]" >&2; exit 2; }
	@python3 $(T)/bench-compare.py "$(OLD)" "$(NEW)"

fuzz: kunit
	@$(T)/run-fuzz.sh

fresh-check:
	@$(T)/fresh-check.sh

coverage: prepare
	@$(T)/run-coverage.sh

clean:
	rm -rf build/kunit build/check build/kernel build/bench build/*.log build/*.json \
		build/coverage-kernel build/coverage*.txt

distclean:
	rm -rf build
