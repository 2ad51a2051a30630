#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare the kernel tree under build/linux: unpack Debian's linux-source-6.12
# once, apply patches/ in order and link the repository's new kernel files
# into it. Re-running only does what changed: a new Debian source version
# re-unpacks, a changed series is reverted and re-applied (touching only the
# files the patches touch), and links are refreshed.
. "$(dirname "$0")/lib.sh"

state=$QCOMTEE_TREE/.qcomtee
[ -r "$QCOMTEE_SRC_TARBALL" ] || qcomtee_die "$QCOMTEE_SRC_TARBALL missing (make deps)"
command -v patch >/dev/null || qcomtee_die "patch missing (make deps)"
version=$(dpkg-query -W -f='${Version}' "$QCOMTEE_SRC_PKG")

unpack() {
	qcomtee_log "unpacking $QCOMTEE_SRC_PKG $version"
	rm -rf "$QCOMTEE_TREE"
	mkdir -p "$QCOMTEE_TREE"
	tar -xf "$QCOMTEE_SRC_TARBALL" -C "$QCOMTEE_TREE" --strip-components=1
	mkdir -p "$state/applied"
	echo "$version" > "$state/version"
}

apply_series() {
	local p
	for p in "$QCOMTEE_REPO"/patches/*.patch; do
		[ -e "$p" ] || continue
		patch -d "$QCOMTEE_TREE" -p1 -s -N --no-backup-if-mismatch < "$p" ||
			qcomtee_die "patch $(basename "$p") does not apply"
		cp "$p" "$state/applied/"
	done
}

revert_series() {
	local p
	for p in $(ls -r "$state/applied/"*.patch 2>/dev/null); do
		patch -d "$QCOMTEE_TREE" -p1 -R -s --no-backup-if-mismatch < "$p" || return 1
		rm -f "$p"
	done
}

series_changed() {
	! diff -rq "$state/applied" "$QCOMTEE_REPO/patches" \
		-x '*.md' -x '.*' >/dev/null 2>&1
}

if [ ! -f "$state/version" ] || [ "$(cat "$state/version")" != "$version" ]; then
	unpack
	apply_series
elif series_changed; then
	qcomtee_log "patch series changed: re-applying"
	if ! revert_series; then
		qcomtee_log "revert failed: starting from a fresh tree"
		unpack
	fi
	apply_series
fi

# Link the repository's new files into the tree; drop links to removed files.
cd "$QCOMTEE_REPO"
for d in $QCOMTEE_KERNEL_DIRS; do
	[ -d "$d" ] || continue
	find "$d" -type f ! -name '*.o' ! -name '*~' | while read -r f; do
		dst=$QCOMTEE_TREE/$f
		if [ -L "$dst" ]; then
			continue
		elif [ -e "$dst" ]; then
			qcomtee_die "$f exists in $QCOMTEE_SRC_PKG: change it with a patch"
		fi
		mkdir -p "$(dirname "$dst")"
		ln -s "$QCOMTEE_REPO/$f" "$dst"
	done
	[ -d "$QCOMTEE_TREE/$d" ] &&
		find "$QCOMTEE_TREE/$d" -type l -lname "$QCOMTEE_REPO/*" ! -exec test -e {} \; -delete
done
exit 0
