#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise a kunit.py JSON result and the raw kernel log.

Fails (exit 1) on any failed or crashed test, on an expected suite that did
not run, and on any kernel splat in the console log, and prints the final
line "N passed, N failed[, N skipped]".
"""
import json
import re
import sys

SPLATS = re.compile(
    r'(BUG:|WARNING:|Oops|Kernel panic|Unable to handle kernel|'
    r'KASAN:|UBSAN:|KFENCE:|general protection fault|'
    r'possible circular locking|possible recursive locking|'
    r'inconsistent lock state|suspicious RCU usage|'
    r'INFO: task .* blocked for more than|unreferenced object 0x|'
    r'ODEBUG:|list_add corruption|list_del corruption|refcount_t:)')


def walk(group, suites, counts, failures, prefix=''):
    name = group.get('name', '')
    for case in group.get('test_cases', []):
        status = case.get('status')
        full = f'{name}.{case.get("name")}'
        if status == 'PASS':
            counts['passed'] += 1
        elif status == 'SKIP':
            counts['skipped'] += 1
        else:
            counts['failed'] += 1
            failures.append(f'{full}: {status}')
    if group.get('test_cases'):
        suites.add(name)
    for sub in group.get('sub_groups', []):
        walk(sub, suites, counts, failures)


def main():
    json_path, log_path, expected_path = sys.argv[1:4]
    counts = {'passed': 0, 'failed': 0, 'skipped': 0}
    failures = []
    suites = set()
    try:
        with open(json_path) as f:
            walk(json.load(f), suites, counts, failures)
    except (OSError, ValueError) as e:
        failures.append(f'no KUnit results: {e}')
        counts['failed'] += 1

    with open(expected_path) as f:
        expected = [l.strip() for l in f if l.strip() and not l.startswith('#')]
    for suite in expected:
        if suite not in suites:
            failures.append(f'suite {suite} did not run')
            counts['failed'] += 1

    try:
        with open(log_path, errors='replace') as f:
            for line in f:
                if SPLATS.search(line):
                    failures.append('kernel log: ' + line.strip())
                    counts['failed'] += 1
    except OSError as e:
        failures.append(f'no kernel log: {e}')
        counts['failed'] += 1

    for f in failures:
        print(f'FAIL: {f}')
    line = f"{counts['passed']} passed, {counts['failed']} failed"
    if counts['skipped']:
        line += f", {counts['skipped']} skipped"
    print(line)
    return 1 if counts['failed'] else 0


if __name__ == '__main__':
    sys.exit(main())
