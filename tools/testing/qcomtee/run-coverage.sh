#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make coverage (not part of make test): line coverage of the driver.
#
# 1. Builds the QEMU kernel's configuration (allnoconfig + qemu.config, as
#    build-kernel.sh does) plus coverage.config (the KUnit suites of
#    drivers/tee/.kunitconfig built in, CONFIG_GCOV_KERNEL, no KASAN or
#    kmemleak) in $QCOMTEE_BUILD/coverage-kernel. Only drivers/tee/ gets
#    gcov flags, without editing a Makefile: GCOV_PROFILE_<stem>.o=y on the
#    make command line for each object of drivers/tee/ and
#    drivers/tee/qcomtee/ (kbuild matches the stem only, so a same-named
#    object elsewhere, e.g. drivers/base/core.o, is instrumented too; the
#    report reads only the files below).
# 2. Boots it once in QEMU (run-qemu.sh's options, -nic none): the KUnit
#    suites run at boot, then init (qcomtee_init.c, unchanged) runs the
#    programs of make test's selftests from the initramfs, then gcov_dump,
#    which prints the .gcda files of drivers/tee/ on the console as base64
#    between markers, with size and CRC-32.
# 3. On the host, coverage-report.py checks and writes the .gcda files next
#    to their .gcno files and runs aarch64-linux-gnu-gcov on the driver
#    (drivers/tee/qcomtee/*.c but the *_test.c files and bench.c) and on
#    drivers/tee/tee_core.c and tee_shm.c (whole file and the lines the
#    series adds): $QCOMTEE_BUILD/coverage.txt (per file and per function)
#    and $QCOMTEE_BUILD/coverage-uncovered.txt (file:line and source).
#
# Exits non-zero if the build, the boot (timeout, panic, no end marker) or
# the gcov dump fails. Failed tests or kernel splats are reported as
# warnings: the coverage of the run is still written.
#
# QCOMTEE_COVERAGE_TIMEOUT (default 2400 s) bounds the QEMU run;
# QCOMTEE_COVERAGE_PROGS (newline-separated "program args" lines) replaces
# the programs run after the KUnit suites; QCOMTEE_QEMU_APPEND adds kernel
# parameters.
. "$(dirname "$0")/lib.sh"

here=$QCOMTEE_REPO/tools/testing/qcomtee
kbuild=$QCOMTEE_BUILD/coverage-kernel
out=$kbuild/initramfs
log=$kbuild/console.log
report=$QCOMTEE_BUILD/coverage.txt
uncovered=$QCOMTEE_BUILD/coverage-uncovered.txt
gcov=${QCOMTEE_CROSS}gcov
timeout=${QCOMTEE_COVERAGE_TIMEOUT:-2400}
mk=(make -C "$QCOMTEE_TREE" O="$kbuild" ARCH=arm64 CROSS_COMPILE="$QCOMTEE_CROSS" -s)
start=$(date +%s)

[ -f "$QCOMTEE_TREE/Makefile" ] || qcomtee_die "$QCOMTEE_TREE is not prepared (prepare-tree.sh)"
command -v "$gcov" >/dev/null || qcomtee_die "$gcov missing (make deps)"
command -v qemu-system-aarch64 >/dev/null || qcomtee_die "qemu-system-aarch64 missing (make deps)"
mkdir -p "$kbuild" "$out/bin"
rm -f "$report" "$uncovered"

# --- 1. configuration (as build-kernel.sh) and build ---------------------
all=$kbuild/qcomtee-fragment.config
cat "$here/qemu.config" "$here/coverage.config" > "$all.tmp"
mv "$all.tmp" "$all"
cp -f "$kbuild/.config" "$kbuild/.config.prev" 2>/dev/null || rm -f "$kbuild/.config.prev"
KCONFIG_ALLCONFIG=$all "${mk[@]}" allnoconfig >"$kbuild/kconfig.log" 2>&1 ||
	{ cat "$kbuild/kconfig.log" >&2; qcomtee_die "allnoconfig failed"; }
if [ -f "$kbuild/.config.prev" ] && cmp -s "$kbuild/.config" "$kbuild/.config.prev"; then
	mv -f "$kbuild/.config.prev" "$kbuild/.config"
else
	rm -f "$kbuild/.config.prev"
	qcomtee_log "coverage kernel configuration changed"
fi
bad=0
while read -r line; do
	case $line in
	CONFIG_*=*) sym=${line%%=*} ;;
	"# CONFIG_"*" is not set") sym=${line#"# "}; sym=${sym%% *} ;;
	*) continue ;;
	esac
	last=$(grep -E "^(# )?${sym}[= ]" "$all" | tail -n 1)
	[ "$last" = "$line" ] || continue
	if [[ $line == "# "* ]]; then
		grep -qE "^$sym=" "$kbuild/.config" && {
			qcomtee_log "config: $sym is set, the fragments want it off"; bad=1; }
	else
		grep -qxF "$line" "$kbuild/.config" || {
			qcomtee_log "config: wanted $line, got: $(grep -E "^(# )?${sym}[= ]" "$kbuild/.config" || echo "(absent)")"
			bad=1; }
	fi
done < "$all"
[ $bad -eq 0 ] || qcomtee_die "the coverage kernel configuration lost options of the fragments"

# The files of the report, and a GCOV_PROFILE_<stem>.o=y for every object
# of drivers/tee/ and drivers/tee/qcomtee/ (tests included: they are cheap).
files=()
for f in "$QCOMTEE_TREE"/drivers/tee/qcomtee/*.c; do
	b=$(basename "$f")
	case $b in *_test.c|bench.c) continue ;; esac
	files+=("drivers/tee/qcomtee/$b")
done
[ ${#files[@]} -gt 0 ] || qcomtee_die "no driver sources in $QCOMTEE_TREE/drivers/tee/qcomtee"
profile=()
for f in "$QCOMTEE_TREE"/drivers/tee/*.c "$QCOMTEE_TREE"/drivers/tee/qcomtee/*.c; do
	b=$(basename "$f" .c)
	profile+=("GCOV_PROFILE_$b.o=y")
done

qcomtee_log "building the gcov kernel in $kbuild (log $kbuild/build.log)"
"${mk[@]}" -j"$QCOMTEE_JOBS" "${profile[@]}" Image >"$kbuild/build.log" 2>&1 || {
	grep -E 'error|Error' "$kbuild/build.log" | head -n 40 >&2
	tail -n 20 "$kbuild/build.log" >&2
	qcomtee_die "coverage kernel build failed (log: $kbuild/build.log)"
}
# A driver file this configuration does not build is left out (and named).
built=()
for f in "${files[@]}"; do
	if [ -f "$kbuild/${f%.c}.gcno" ]; then
		built+=("$f")
	else
		qcomtee_log "not built in this configuration, left out: $f"
	fi
done
files=("${built[@]}")
[ ${#files[@]} -gt 0 ] || qcomtee_die "no driver file was built with gcov (log: $kbuild/build.log)"
for f in "${files[@]:0:1}" drivers/tee/tee_core.c drivers/tee/tee_shm.c; do
	[ -f "$kbuild/${f%.c}.gcno" ] || qcomtee_die "$kbuild/${f%.c}.gcno missing: $f was built without gcov"
done
others=$(cd "$kbuild" && find . -name '*.gcno' ! -path './drivers/tee/*' | sed 's|^\./||' | sort | tr '\n' ' ')
[ -z "$others" ] || qcomtee_log "also instrumented (same object name): $others"

# --- 2. initramfs (as build-initramfs.sh, in $kbuild) and boot -----------
hdr=$kbuild/uapi
"${mk[@]}" headers_install INSTALL_HDR_PATH="$hdr" >/dev/null
grep -q TEE_IOC_OBJECT_INVOKE "$hdr/include/linux/tee.h" ||
	qcomtee_die "installed tee.h lacks TEE_IOC_OBJECT_INVOKE (patch series not applied?)"
ta=$QCOMTEE_TREE/drivers/tee/qcomtee/sim/smcinvoke_skeleton_ta64.mbn
[ -r "$ta" ] || qcomtee_die "smcinvoke_skeleton_ta64.mbn not found"
# The selftests from the prepared tree, where their relative include of
# the kselftest harness resolves.
kst=$QCOMTEE_TREE/$QCOMTEE_KSELFTEST
cc=("${QCOMTEE_CROSS}gcc" -static -O2 -Wall -Wextra -Werror -I"$hdr/include"
    -I"$QCOMTEE_TREE/drivers/tee/qcomtee/sim" -I"$kst")
qcomtee_log "cc init gcov_dump qcomtee_fuzz qcomtee_test"
"${cc[@]}" -o "$out/bin/init" "$here/qcomtee_init.c"
"${cc[@]}" -o "$out/bin/gcov_dump" "$here/gcov_dump.c"
"${cc[@]}" -o "$out/bin/qcomtee_fuzz" "$kst/qcomtee_fuzz.c" "$kst/qcomtee_client.c" -lpthread
# The harness is not -Wextra clean (as in the kselftest Makefile).
"${cc[@]}" -Wno-unused-parameter -Wno-sign-compare -Wno-clobbered \
	-o "$out/bin/qcomtee_test" \
	"$kst/qcomtee_test.c" "$kst/qcomtee_client.c" -lpthread

# The console starts at loglevel 7 so that KUnit's KTAP (KERN_INFO) is seen;
# the first program sets run-qemu.sh's loglevel 5 for the userspace tests.
# The programs are those of run-selftests.sh (make test's userspace half).
progs=${QCOMTEE_COVERAGE_PROGS:-"/bin/qcomtee_test
/bin/qcomtee_fuzz -m fuzz -s 1 -n 3000
/bin/qcomtee_fuzz -m stress -s 2 -d 10
/bin/qcomtee_fuzz -m failnth -s 3
/bin/qcomtee_fuzz -m failslab -s 4 -d 10"}
{
	echo "/bin/gcov_dump -l 5"
	printf '%s\n' "$progs"
	echo "/bin/gcov_dump"
} > "$out/qcomtee-run"

gen=$kbuild/usr/gen_init_cpio
[ -x "$gen" ] || { gen=$out/gen_init_cpio; gcc -O2 -o "$gen" "$QCOMTEE_TREE/usr/gen_init_cpio.c"; }
cat > "$out/list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 01777 0 0
dir /etc 0755 0 0
dir /bin 0755 0 0
file /init $out/bin/init 0755 0 0
file /bin/gcov_dump $out/bin/gcov_dump 0755 0 0
file /bin/qcomtee_test $out/bin/qcomtee_test 0755 0 0
file /bin/qcomtee_fuzz $out/bin/qcomtee_fuzz 0755 0 0
file /etc/qcomtee-run $out/qcomtee-run 0644 0 0
file /smcinvoke_skeleton_ta64.mbn $ta 0644 0 0
EOF
"$gen" "$out/list" > "$out/initramfs.cpio"

image=$kbuild/arch/arm64/boot/Image
append="console=ttyAMA0 loglevel=7 panic=-1 hung_task_panic=0 ${QCOMTEE_QEMU_APPEND:-}"
cpu=max
# Pointer authentication with QEMU's default algorithm is slow under TCG.
qemu-system-aarch64 -machine virt -cpu max,pauth-impdef=on -S -display none \
	-monitor none -serial none -nodefaults </dev/null >/dev/null 2>&1 &
probe=$!
sleep 0.5
if kill -0 $probe 2>/dev/null; then
	cpu=max,pauth-impdef=on
	kill $probe 2>/dev/null || true
fi
wait $probe 2>/dev/null || true

qcomtee_log "booting QEMU: KUnit suites, then $(printf '%s\n' "$progs" | wc -l) programs, then gcov_dump (timeout ${timeout}s, log $log)"
boot=$(date +%s)
set +e
timeout -k 10 "$timeout" qemu-system-aarch64 -machine virt -cpu "$cpu" \
	-smp 2 -m 1G -nographic -no-reboot -nic none -kernel "$image" \
	-initrd "$out/initramfs.cpio" -append "$append" </dev/null 2>&1 |
	tee "$log" | tr -d '\r' |
	grep -a --line-buffered -E '^(QCOMTEE-INIT|QCOMTEE-FUZZ|QCOMTEE-GCOV-DONE|# Totals)|^\[ *[0-9.]+\] (not )?ok [0-9]+ [a-z_]+$|kunit' >&2
rc=${PIPESTATUS[0]}
set -e
qcomtee_log "QEMU ran $(( $(date +%s) - boot ))s"

fail=0
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	qcomtee_log "QEMU timed out after ${timeout}s"; fail=1
elif [ "$rc" -ne 0 ]; then
	qcomtee_log "QEMU exited with $rc"; fail=1
fi
clean=$kbuild/console.txt
tr -d '\r' < "$log" > "$clean"
marker=$(grep -aoE 'QCOMTEE-INIT-END status=[0-9]+' "$clean" | tail -n 1 || true)
if [ -z "$marker" ]; then
	qcomtee_log "no end marker from init: the system did not finish"
	tail -n 30 "$clean" >&2
	fail=1
fi
grep -aqE 'Kernel panic|Oops|Unable to handle kernel' "$clean" && {
	qcomtee_log "the kernel crashed:"; grep -aE -m 5 'Kernel panic|Oops|Unable to handle kernel' "$clean" >&2; fail=1; }
grep -aq '^QCOMTEE-INIT: /bin/gcov_dump exit=0$' "$clean" ||
	{ qcomtee_log "gcov_dump failed: $(grep -a 'QCOMTEE-GCOV-DONE\|QCOMTEE-GCDA-ERROR' "$clean" | head -n 3)"; fail=1; }
[ $fail -eq 0 ] || qcomtee_die "coverage boot failed (log: $log)"

# --- test results (warnings only) -----------------------------------------
warn=()
# KUnit: everything before init starts (kunit.py parse, kunit-summary.py).
sed -n '/^QCOMTEE-INIT: running/q;p' "$clean" > "$kbuild/kunit.log"
( cd "$QCOMTEE_TREE" && python3 tools/testing/kunit/kunit.py parse \
	--json="$kbuild/kunit.json" < "$kbuild/kunit.log" > "$kbuild/kunit-parsed.log" 2>&1 ) || true
set +e
kunit_line=$(python3 "$here/kunit-summary.py" "$kbuild/kunit.json" "$kbuild/kunit.log" \
	"$here/kunit-suites.txt" 2>&1)
kunit_rc=$?
set -e
[ $kunit_rc -eq 0 ] || { warn+=("KUnit: $(echo "$kunit_line" | head -n 5 | tr '\n' ';')"); }
kunit_line=$(echo "$kunit_line" | tail -n 1)
# Userspace TAP (as run-selftests.sh).
self_line=$(sed -n '/^QCOMTEE-INIT: running/,$p' "$clean" | awk '
	/^1\.\.[0-9]+$/ { plan += substr($0, 4) + 0; next }
	/^ok [0-9]+ / { if ($0 ~ /# SKIP/) skip++; else pass++; seen++; next }
	/^not ok [0-9]+ / { fail++; seen++; next }
	END {
		missing = plan - seen
		if (missing < 0) missing = 0
		printf "%d passed, %d failed", pass, fail + missing
		if (skip) printf ", %d skipped", skip
		if (!plan) printf " (no TAP plan)"
		print ""
	}')
case $self_line in "0 passed"*|*" 0 failed"*) ;; *) warn+=("selftests: $self_line") ;; esac
case $self_line in "0 passed"*) warn+=("selftests: nothing passed") ;; esac
st=${marker##*=}
[ "$st" = 0 ] || warn+=("a program failed: $marker")
splat='BUG:|WARNING:|UBSAN:|possible circular locking|possible recursive locking'
splat+='|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked'
splat+='|refcount_t:|list_add corruption|list_del corruption|ODEBUG:|DEBUG_LOCKS_WARN_ON'
splat+='|soft lockup|hard LOCKUP|Call trace:'
if grep -qaE "$splat" "$clean"; then
	warn+=("kernel splat: $(grep -aE -m 1 "$splat" "$clean")")
fi

# --- 3. the gcov data and the report --------------------------------------
find "$kbuild/drivers/tee" -name '*.gcda' -delete
python3 "$here/coverage-report.py" decode "$clean" "$kbuild" ||
	qcomtee_die "the gcov data of the console log is incomplete (log: $log)"

# The unmodified TEE core files, for the lines the series adds.
orig=$kbuild/orig
version=$(dpkg-query -W -f='${Version}' "$QCOMTEE_SRC_PKG")
if [ "$(cat "$orig/version" 2>/dev/null)" != "$version" ]; then
	rm -rf "$orig"
	mkdir -p "$orig"
	tar -xJf "$QCOMTEE_SRC_TARBALL" -C "$orig" --wildcards --strip-components=1 \
		'*/drivers/tee/tee_core.c' '*/drivers/tee/tee_shm.c' ||
		qcomtee_die "cannot extract the original TEE core files from $QCOMTEE_SRC_TARBALL"
	echo "$version" > "$orig/version"
fi

header=$kbuild/report-header.txt
{
	echo "qcomtee line coverage (make coverage), $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "kernel: $kbuild (qemu.config + coverage.config, gcov on drivers/tee/)"
	echo "run: KUnit suites at boot ($kunit_line), then"
	printf '%s\n' "$progs" | sed 's/^/  /'
	echo "  ($self_line)"
	for w in "${warn[@]}"; do echo "WARNING: $w"; done
} > "$header"
GCOV=$gcov python3 "$here/coverage-report.py" report "$kbuild" "$QCOMTEE_TREE" \
	"$orig" "$report" "$uncovered" "$header" "${files[@]}" \
	patched:drivers/tee/tee_core.c patched:drivers/tee/tee_shm.c ||
	qcomtee_die "gcov report failed"

echo
echo "KUnit: $kunit_line; selftests: $self_line"
for w in "${warn[@]}"; do qcomtee_log "WARNING: $w"; done
qcomtee_log "report: $report, uncovered lines: $uncovered"
qcomtee_log "make coverage took $(( $(date +%s) - start ))s"
