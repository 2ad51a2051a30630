# SPDX-License-Identifier: GPL-2.0
#
# qcomtee: the Qualcomm TEE backend driver, its simulated QTEE and tests.
#
#   make test   install what is missing, prepare the kernel tree, build and
#               run all tests on QEMU arm64; prints "N passed, N failed"
#   make check  checkpatch --strict, sparse (C=1) and W=1 builds
#   make run    (see README.md)

T := tools/testing/qcomtee

.PHONY: all deps prepare test kunit check run bench fuzz clean distclean

all: test

deps:
	@$(T)/install-deps.sh

prepare: deps
	@$(T)/prepare-tree.sh

kunit: prepare
	@$(T)/run-kunit.sh

test: kunit

check: prepare
	@$(T)/check.sh

run: prepare
	@$(T)/run-demo.sh

bench: prepare
	@$(T)/run-bench.sh

fuzz: kunit
	@$(T)/run-fuzz.sh

clean:
	rm -rf build/kunit build/check build/*.log build/*.json

distclean:
	rm -rf build
