#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Compare two make bench results (make bench-compare OLD=<json> [NEW=<json>]):
# every figure of either file by name, its unit, both medians and new/old.
# Figures keep their names across commits, so the files of two commits line
# up; a figure only one of them has is shown with "-" for the other.
#
#   bench-compare.py OLD_JSON NEW_JSON

import importlib.util
import json
import os
import sys

# The table's number format is bench-report.py's.
_spec = importlib.util.spec_from_file_location(
    'bench_report', os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                 'bench-report.py'))
report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report)


def load(path):
    with open(path) as f:
        data = json.load(f)
    return {fig['name']: fig for fig in data.get('figures', [])
            if 'name' in fig}


def fmt(v):
    return report.fmt(v) if isinstance(v, (int, float)) else '-'


def ratio(old, new):
    if not isinstance(old, (int, float)) or not isinstance(new, (int, float)):
        return '-'
    if old == 0:
        return 'same' if new == 0 else 'new'
    return '%.3f' % (new / old)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: bench-compare.py OLD_JSON NEW_JSON')
    old, new = load(sys.argv[1]), load(sys.argv[2])
    names = list(old) + [n for n in new if n not in old]
    print('%-38s %-7s %12s %12s %9s' % ('figure', 'unit', 'old', 'new',
                                         'new/old'))
    for n in names:
        o, w = old.get(n, {}), new.get(n, {})
        print('%-38s %-7s %12s %12s %9s' % (
            n, (w or o).get('unit', ''), fmt(o.get('median')),
            fmt(w.get('median')), ratio(o.get('median'), w.get('median'))))
    print('')
    print('old: %s (%d figures)' % (sys.argv[1], len(old)))
    print('new: %s (%d figures)' % (sys.argv[2], len(new)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
