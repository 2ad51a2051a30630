# SPDX-License-Identifier: GPL-2.0
# Shared settings for the qcomtee build and test scripts (sourced).

set -euo pipefail

QCOMTEE_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
QCOMTEE_BUILD=${QCOMTEE_BUILD:-$QCOMTEE_REPO/build}
QCOMTEE_TREE=$QCOMTEE_BUILD/linux
QCOMTEE_SRC_PKG=linux-source-6.12
QCOMTEE_SRC_TARBALL=/usr/src/$QCOMTEE_SRC_PKG.tar.xz
QCOMTEE_CROSS=aarch64-linux-gnu-
QCOMTEE_JOBS=${QCOMTEE_JOBS:-$(nproc)}

# The userspace selftests, a kselftest target (lib.mk) of the kernel tree.
QCOMTEE_KSELFTEST=tools/testing/selftests/drivers/tee/qcomtee

# Repository directories whose files are new kernel files.
QCOMTEE_KERNEL_DIRS="drivers include Documentation ${QCOMTEE_KSELFTEST%/qcomtee}"

qcomtee_log() { printf '[qcomtee] %s\n' "$*" >&2; }
qcomtee_die() { printf '[qcomtee] error: %s\n' "$*" >&2; exit 1; }
