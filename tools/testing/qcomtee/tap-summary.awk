# SPDX-License-Identifier: GPL-2.0
#
# Summarise kselftest TAP read from a console log: plans ("1..N", summed
# over every program), "ok N name [# SKIP why]", "not ok N name". Prints
# "<label>: N passed, N failed[, N skipped]" with failed and missing tests
# listed on stderr; exits 1 on a failed or missing test, no plan, or a
# non-zero qemu_rc.
#
# Usage: awk -v label=LABEL -v qemu_rc=RC -f tap-summary.awk LOG
/^1\.\.[0-9]+$/ { plan += substr($0, 4) + 0; next }
/^ok [0-9]+ / {
	if ($0 ~ /# SKIP/) { skip++; skipped[skip] = $0 } else pass++
	seen++; next
}
/^not ok [0-9]+ / { fail++; failed[fail] = $0; seen++; next }
END {
	for (i = 1; i <= fail; i++) print "  " failed[i] > "/dev/stderr"
	if (skip && skip <= 10)
		for (i = 1; i <= skip; i++) print "  " skipped[i] > "/dev/stderr"
	missing = plan - seen
	if (!plan) { print "no TAP plan in the console log" > "/dev/stderr"; missing = 0 }
	line = sprintf("%d passed, %d failed", pass, fail + missing)
	if (skip) line = line sprintf(", %d skipped", skip)
	if (missing > 0) line = line sprintf(" (%d of %d never reported)", missing, plan)
	print label ": " line
	exit (fail || missing || !plan || qemu_rc) ? 1 : 0
}
