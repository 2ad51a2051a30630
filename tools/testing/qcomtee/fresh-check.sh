#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make fresh-check: prove that the README's two commands work on a freshly
# installed Debian 12. Builds a new minimal bookworm root (debootstrap
# --variant=minbase, from the archive the host's apt sources name, with the
# host's bookworm* apt sources and the apt settings needed to reach the
# archive), installs only `make` in it, clones the repository's committed
# HEAD (not the working tree) to /root/qcomtee inside and runs, as root in
# the chroot, `make run` then `make test`. Prints PASS/FAIL and the wall
# time of each and make test's "N passed, N failed" line; exits non-zero if
# either failed. Needs root (debootstrap, chroot, mounts); installs
# debootstrap and git on the host if they are missing. Not part of make test.
#
# Usage: fresh-check.sh [--deps-only]
#   --deps-only, QCOMTEE_FRESH_STOP=deps
#                       stop after `make deps` in the chroot, then check that
#                       every command the scripts use is there and that host
#                       and cross C programs compile (a quick check, minutes)
#   QCOMTEE_FRESH_DIR   logs and the root (default $QCOMTEE_BUILD/fresh):
#                       debootstrap.log, deps.log, run.log, test.log
#   QCOMTEE_FRESH_ROOT  the root (default $QCOMTEE_FRESH_DIR/root); removed
#                       first on every run (mounts under it unmounted)
#   QCOMTEE_FRESH_MIRROR  the archive for debootstrap (default: the first
#                       "bookworm" entry of the host's apt sources)
#   QCOMTEE_JOBS        passed on to the builds in the chroot
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

export PATH=$PATH:/usr/sbin:/sbin
suite=bookworm
stop=${QCOMTEE_FRESH_STOP:-}
case ${1:-} in
"") ;;
--deps-only) stop=deps ;;
*) qcomtee_die "usage: $0 [--deps-only]" ;;
esac
case $stop in
"" | deps) ;;
*) qcomtee_die "QCOMTEE_FRESH_STOP=$stop: only 'deps' is known" ;;
esac

fresh=${QCOMTEE_FRESH_DIR:-$QCOMTEE_BUILD/fresh}
mkdir -p "$fresh"
fresh=$(cd "$fresh" && pwd -P)
root=$(realpath -m "${QCOMTEE_FRESH_ROOT:-$fresh/root}")
case $root in
"" | / | /bin | /boot | /dev | /etc | /home | /lib* | /proc | /root | /run | \
/sbin | /sys | /tmp | /usr | /usr/* | /var | "$QCOMTEE_REPO" | "$QCOMTEE_BUILD")
	qcomtee_die "refusing to use $root as the fresh root" ;;
esac
marker=$root/.qcomtee-fresh-root
inside=/root/qcomtee
start_all=$(date +%s)

[ "$(id -u)" -eq 0 ] || qcomtee_die "needs root (debootstrap, chroot, mount)"

# One run at a time per directory.
exec 9>"$fresh/.lock"
flock -n 9 || qcomtee_die "another fresh-check is running in $fresh"

# --- host tools -------------------------------------------------------------
host_pkgs=(debootstrap git debian-archive-keyring)
missing=()
for p in "${host_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	qcomtee_log "installing on the host: ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

# --- the host's apt sources -------------------------------------------------
# "URI SUITE" per deb entry of a one-line-style (.list) file.
list_entries() {
	sed -e 's/#.*//' "$1" | awk '$1 == "deb" {
		i = 2
		if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
		if (i + 1 <= NF) print $i, $(i + 1) }'
}
# The same for a deb822 (.sources) file.
deb822_entries() {
	awk '
	function flush(  n, m, i, j, u, s) {
		if (types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) !~ /^no/) {
			n = split(uris, u, " "); m = split(suites, s, " ")
			for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print u[i], s[j]
		}
		types = uris = suites = enabled = key = ""
	}
	/^#/ { next }
	/^[ \t]*$/ { flush(); next }
	/^[ \t]/ {
		if (key == "types") types = types " " $0
		else if (key == "uris") uris = uris " " $0
		else if (key == "suites") suites = suites " " $0
		next
	}
	{
		key = tolower($0); sub(/:.*/, "", key)
		v = $0; sub(/^[^:]*:[ \t]*/, "", v)
		if (key == "types") types = v
		else if (key == "uris") uris = v
		else if (key == "suites") suites = v
		else if (key == "enabled") enabled = v
	}
	END { flush() }' "$1"
}
entries() {
	case $1 in
	*.sources) deb822_entries "$1" ;;
	*) list_entries "$1" ;;
	esac
}

source_files=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
	/etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	if entries "$f" | awk -v s="$suite" '$2 == s || index($2, s "-") == 1 { f = 1 } END { exit !f }'; then
		source_files+=("$f")
	else
		qcomtee_log "apt sources: $f names no $suite suite, not copied"
	fi
done
[ ${#source_files[@]} -gt 0 ] || qcomtee_die "no apt source of the host names $suite"

mirror=${QCOMTEE_FRESH_MIRROR:-}
if [ -z "$mirror" ]; then
	for f in "${source_files[@]}"; do
		mirror=$(entries "$f" | awk -v s="$suite" '$2 == s { print $1; exit }')
		[ -n "$mirror" ] && break
	done
fi
[ -n "$mirror" ] || qcomtee_die "no '$suite' entry in the host's apt sources (set QCOMTEE_FRESH_MIRROR)"

# apt settings that reach the archive: files setting Acquire::* (proxies,
# Check-Valid-Until, index targets, ...). No credentials (auth.conf) are copied.
conf_files=()
for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
	[ -f "$f" ] || continue
	sed -e 's|//.*||' -e 's/#.*//' "$f" | grep -qiE 'acquire|proxy' && conf_files+=("$f")
done
# debootstrap downloads with wget, which does not read apt's configuration.
for scheme in http https; do
	var=${scheme}_proxy
	if [ -z "${!var:-}" ]; then
		p=$(apt-config dump --format '%v%n' "Acquire::$scheme::Proxy" 2>/dev/null | head -n 1)
		case $p in
		http://* | https://*) export "$var=$p" ;;
		esac
	fi
done

# --- removing a root, unmounting what is mounted under it -------------------
# Mount points under $1 (from mountinfo, octal escapes decoded), deepest first.
mounts_under() {
	local dir=$1 mp
	while read -r mp; do
		mp=$(printf '%b' "$mp")
		case $mp in
		"$dir" | "$dir"/*) printf '%s\n' "$mp" ;;
		esac
	done < <(awk '{ print $5 }' /proc/self/mountinfo) | sort -r -u
}

unmount_under() {
	local mp left
	while read -r mp; do
		[ -n "$mp" ] || continue
		umount "$mp" 2>/dev/null || umount -l "$mp" ||
			qcomtee_log "could not unmount $mp"
	done < <(mounts_under "$1")
	left=$(mounts_under "$1")
	[ -z "$left" ] || { qcomtee_log "still mounted: $left"; return 1; }
}

# Processes still running in the root (a run that was interrupted), by id.
kill_inside() {
	local pid pids=()
	for pid in /proc/[0-9]*; do
		[ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ] && pids+=("${pid#/proc/}")
	done
	[ ${#pids[@]} -gt 0 ] || return 0
	qcomtee_log "stopping processes left in $root: ${pids[*]}"
	kill -TERM "${pids[@]}" 2>/dev/null || true
	sleep 2
	kill -KILL "${pids[@]}" 2>/dev/null || true
	sleep 1
}

remove_root() {
	[ -e "$root" ] || return 0
	if [ -n "$(ls -A "$root" 2>/dev/null)" ] && [ ! -e "$marker" ]; then
		qcomtee_die "$root exists and is not a fresh-check root ($marker missing): remove it yourself"
	fi
	qcomtee_log "removing the previous root $root"
	kill_inside
	unmount_under "$root" || qcomtee_die "cannot unmount everything under $root"
	rm -rf --one-file-system "$root"
	[ ! -e "$root" ] || qcomtee_die "could not remove $root"
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [ -d "$root" ]; then
		kill_inside
		if unmount_under "$root"; then
			[ $rc -eq 0 ] || qcomtee_log "exit $rc; nothing left mounted under $root"
		else
			qcomtee_log "could not unmount everything under $root"
			rc=1
		fi
	fi
	exit $rc
}

# --- the root ---------------------------------------------------------------
remove_root
rm -f "$fresh"/{debootstrap,deps,run,test}.log
mkdir -p "$root"
: > "$marker"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

incl=()
case $mirror in https://*) incl=(--include=ca-certificates) ;; esac
qcomtee_log "debootstrap --variant=minbase $suite $root $mirror (log $fresh/debootstrap.log)"
t0=$(date +%s)
debootstrap --variant=minbase "${incl[@]}" "$suite" "$root" "$mirror" \
	> "$fresh/debootstrap.log" 2>&1 || {
	tail -n 20 "$fresh/debootstrap.log" >&2
	qcomtee_die "debootstrap failed (log $fresh/debootstrap.log)"
}
qcomtee_log "debootstrap took $(( $(date +%s) - t0 ))s"

# The host's apt sources (and the keyrings they name), its archive settings,
# its name resolution.
rm -f "$root/etc/apt/sources.list"
for f in "${source_files[@]}"; do
	qcomtee_log "apt sources: copying $f"
	install -D -m 0644 "$f" "$root$f"
	while read -r k; do
		[ -f "$root$k" ] || [ ! -f "$k" ] || install -D -m 0644 "$k" "$root$k"
	done < <(sed -n -e 's/.*[[ ]signed-by=\([^] ]*\).*/\1/Ip' \
		-e 's/^signed-by:[ \t]*\(\/[^ \t]*\).*/\1/Ip' "$f")
done
for f in "${conf_files[@]}"; do
	qcomtee_log "apt settings: copying $f"
	install -D -m 0644 "$f" "$root$f"
done
for f in /etc/resolv.conf /etc/hosts; do
	[ -f "$f" ] && cat "$f" > "$root$f"
done

mount -t proc proc "$root/proc"
mount --bind /sys "$root/sys"
mount --bind /dev "$root/dev"
for d in /dev/pts /dev/shm; do
	mountpoint -q "$d" && mount --bind "$d" "$root$d"
done

# A login-like environment: nothing of this shell's but the settings that
# matter.
envs=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
      TERM=dumb SHELL=/bin/bash USER=root LOGNAME=root)
for v in QCOMTEE_JOBS http_proxy https_proxy no_proxy; do
	[ -n "${!v:-}" ] && envs+=("$v=${!v}")
done
in_root() { chroot "$root" /usr/bin/env -i "${envs[@]}" /bin/bash -c "$1"; }

qcomtee_log "installing make (only) in the root"
in_root 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make >/dev/null' ||
	qcomtee_die "installing make in the root failed"

# --- the repository: a clone of the committed HEAD --------------------------
commit=$(git -C "$QCOMTEE_REPO" rev-parse HEAD)
subject=$(git -C "$QCOMTEE_REPO" log -1 --format=%s HEAD)
dirty=$(git -C "$QCOMTEE_REPO" status --porcelain --untracked-files=no | wc -l)
qcomtee_log "cloning the committed HEAD $commit ($subject) to $inside"
if [ "$dirty" -gt 0 ]; then
	qcomtee_log "the working tree is NOT tested: $dirty changed tracked files left out"
else
	qcomtee_log "the working tree is NOT tested (it has no changes to tracked files)"
fi
git clone -q --no-hardlinks "$QCOMTEE_REPO" "$root$inside"
got=$(git -C "$root$inside" rev-parse HEAD)
[ "$got" = "$commit" ] || qcomtee_die "the clone is at $got, not $commit"

# What of install-deps.sh's list is there before make deps (only make).
deplist=$(sed -n '/^pkgs=(/,/)/p' "$root$inside/tools/testing/qcomtee/install-deps.sh" |
	tr -d '()' | sed 's/^pkgs=//' | tr -s ' \t\n' ' ')
pre=$(in_root "for p in $deplist; do dpkg-query -W -f='\${Status}' \$p 2>/dev/null | grep -q 'ok installed' && echo \$p; done; true" | tr '\n' ' ')
qcomtee_log "of install-deps.sh's packages, preinstalled in the root: ${pre:-none}"
[ "${pre% }" = make ] || qcomtee_log "warning: expected only make to be preinstalled"

# --- the commands -----------------------------------------------------------
declare -A rc_of secs_of
step() {
	local name=$1 log=$fresh/$1.log t rc
	qcomtee_log "chroot: cd $inside && time make $name (log $log)"
	t=$(date +%s)
	# In the background, so that a signal to this script is handled (by
	# cleanup) at once, not after the pipeline ended.
	set +e
	(
		in_root "cd $inside && time make $name" 2>&1 | tee "$log"
		exit "${PIPESTATUS[0]}"
	) &
	wait $!
	rc=$?
	set -e
	rc_of[$name]=$rc
	secs_of[$name]=$(( $(date +%s) - t ))
	qcomtee_log "make $name: exit $rc after ${secs_of[$name]}s"
}
hms() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
verdict() { [ "${rc_of[$1]}" -eq 0 ] && echo PASS || echo "FAIL (exit ${rc_of[$1]})"; }

if [ "$stop" = deps ]; then
	step deps
	[ "${rc_of[deps]}" -eq 0 ] || qcomtee_die "make deps failed in the root"
	# Every command the build and test scripts, the kernel build and
	# kunit.py run; host and cross C programs with the headers they use.
	cmds=(bash make gcc cc ld ar nm objcopy aarch64-linux-gnu-gcc
	      aarch64-linux-gnu-ld aarch64-linux-gnu-objcopy qemu-system-aarch64
	      sparse python3 perl bc flex bison cpio rsync xz tar gzip kmod depmod
	      patch diff cmp find xargs awk sed grep md5sum sort tr tee timeout
	      sleep date head tail wc cut mktemp install dpkg-query apt-get
	      nproc uname whoami hostname dtc fdtput fdtget od stat)
	# shellcheck disable=SC2016 # expanded in the root
	check='missing=""
	for c in '"${cmds[*]}"'; do command -v "$c" >/dev/null || missing="$missing $c"; done
	echo "commands missing:${missing:- none}"
	printf "#include <stdio.h>\n#include <gelf.h>\n#include <openssl/evp.h>\nint main(void) { puts(\"ok\"); return elf_version(EV_CURRENT) == EV_NONE || !EVP_sha256(); }\n" > /tmp/h.c
	gcc -O2 -o /tmp/h /tmp/h.c -lelf -lcrypto && /tmp/h >/dev/null && echo "host C (libc, libelf, libcrypto): ok" || { echo "host C: FAILED"; missing="$missing host-cc"; }
	printf "#include <pthread.h>\n#include <stdio.h>\nstatic void *f(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n" > /tmp/x.c
	aarch64-linux-gnu-gcc -static -O2 -o /tmp/x /tmp/x.c -lpthread && echo "cross C (static, pthread): ok" || { echo "cross C: FAILED"; missing="$missing cross-cc"; }
	[ -r /usr/src/linux-source-6.12.tar.xz ] && echo "linux-source-6.12: $(dpkg-query -W -f="\${Version}" linux-source-6.12)" || { echo "linux-source-6.12 tarball missing"; missing="$missing linux-source"; }
	[ -z "$missing" ]'
	set +e
	in_root "$check" 2>&1 | tee -a "$fresh/deps.log"
	crc=${PIPESTATUS[0]}
	set -e
	echo
	echo "== fresh-check (deps only): commit $commit =="
	echo "make deps:  $(verdict deps), $(hms "${secs_of[deps]}")"
	echo "tools:      $([ "$crc" -eq 0 ] && echo "all present" || echo "MISSING (see above)")"
	echo "root:       $root (logs $fresh)"
	exit "$crc"
fi

step run
step test
summary=$(tr -d '\r' < "$fresh/test.log" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1 || true)
demo=$(tr -d '\r' < "$fresh/run.log" | grep -E '^== demo ' | tail -n 1 || true)

echo
echo "== fresh-check: Debian 12 minbase + make, clone of $commit =="
echo "  ($subject; committed HEAD, not the working tree)"
echo "mirror:     $mirror"
echo "make run:   $(verdict run), $(hms "${secs_of[run]}")${demo:+  [$demo]}"
echo "make test:  $(verdict test), $(hms "${secs_of[test]}")  [${summary:-no summary line}]"
echo "total:      $(hms $(( $(date +%s) - start_all )))"
echo "logs:       $fresh/{debootstrap,run,test}.log"
[ "${rc_of[run]}" -eq 0 ] && [ "${rc_of[test]}" -eq 0 ]
