#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Turn the BENCH lines of the qcomtee_bench KUnit suite (and of the
# userspace bench program, if it ran) into a table on stdout and a JSON file.
#
#   bench-report.py [--meta KEY=VALUE]... CONSOLE_LOG [CONSOLE_LOG...] OUT_JSON
#
# --meta records how the figures were made (the kernel configuration's hash,
# QEMU's command line) at the top of the table and in the JSON file.
#
# A BENCH line is
#   BENCH name=<id> unit=<unit> median=<v> p10=<v> p90=<v> runs=<n> iters=<n>
# anywhere on a console line (KUnit prefixes it with "# <case>: "). Other
# lines of the suite that start with "<figure>: " after the case prefix are
# kept as notes (allocation call sites, byte counts). Exits 1 if a figure of
# EXPECTED is missing or a case of the suite did not pass.

import json
import re
import sys

BENCH_RE = re.compile(r'BENCH ((?:\w+=\S+\s*)+)$')
NOTE_RE = re.compile(r'#\s+(qcomtee_bench_\w+):\s+(?!BENCH|pass:\d)(.*)$')
CASE_RE = re.compile(r'^\s*(ok|not ok) \d+ (qcomtee_bench_\w+)(.*)$')
USER_RE = re.compile(r'(QCOMTEE-BENCH-USER-\w+.*|qcomtee_bench_user: .*)$')

# Figures make bench must print (userspace ones are reported when they ran).
EXPECTED = [
    'noop_kernel_driver', 'noop_kernel_floor', 'noop_kernel_ratio',
    'callback_kernel_driver', 'callback_kernel_floor',
    'echo_4k_driver', 'echo_4k_floor', 'memcpy_4k',
    'echo_64k_driver', 'echo_64k_floor', 'memcpy_64k',
    'echo_1m_driver', 'echo_1m_floor', 'memcpy_1m',
    'table_1k_export', 'table_1k_lookup', 'table_1k_release',
    'table_10k_export', 'table_10k_lookup', 'table_10k_release',
    'table_100k_export', 'table_100k_lookup', 'table_100k_release',
    'table_100k_bytes_per_id',
    'allocs_noop_driver', 'allocs_noop_all', 'allocs_noop_floor_all',
]

# Figures of the boot on the test firmware (device_tag=smc), expected when a
# console shows that boot.
EXPECTED_SMC = ['smc_noop_kernel_driver', 'smc_noop_kernel_floor',
                'smc_noop_kernel_ratio']
SMC_BOOT_RE = re.compile(r'Kernel command line: .*qcomtee_bench\.device_tag=smc')

# Figures of the userspace program, expected once it started.
EXPECTED_USER = [
    'user_noop_invoke', 'user_ioctl_floor', 'user_noop_invoke_2thr_per_call',
    'user_callback', 'user_echo_4k', 'user_memcpy_4k', 'user_echo_64k',
    'user_memcpy_64k', 'user_echo_1m', 'user_memcpy_1m',
    'user_allocs_noop_driver', 'user_allocs_callback200_driver',
    'user_wake_roundtrip', 'user_noop_floor', 'user_noop_over_floor',
    'user_callback_floor', 'user_callback_over_floor',
    'user_noop_2thr_throughput_x', 'user_ioctl_2thr_throughput_x',
    'user_invoke_rejected', 'user_noop_kernel_api',
    'user_callback_kernel_api',
]

# Floors of the userspace paths, from figures of the same run (medians):
# (name, unit, function of the medians by name, the figures it needs).
# The userspace program measures the floors and ratios itself, run by run
# with the kernel-API figures taken again in its own phase; these are the
# fallback for a log without them.
DERIVED = [
    # The kernel-API no-op of the same operation, plus the ioctl floor.
    ('user_noop_floor', 'ns',
     lambda m: m['noop_app_kernel_driver'] + m['user_ioctl_floor'],
     ('noop_app_kernel_driver', 'user_ioctl_floor')),
    ('user_noop_over_floor', 'x',
     lambda m: m['user_noop_invoke'] / m['user_noop_floor'],
     ('user_noop_invoke', 'user_noop_floor')),
    # A callback into a kernel object, a wake-up round trip between the
    # supplicant thread and the invoker, and two ioctl floors.
    ('user_callback_floor', 'ns',
     lambda m: (m['callback_kernel_driver'] + m['user_wake_roundtrip'] +
                2 * m['user_ioctl_floor']),
     ('callback_kernel_driver', 'user_wake_roundtrip', 'user_ioctl_floor')),
    ('user_callback_over_floor', 'x',
     lambda m: m['user_callback'] / m['user_callback_floor'],
     ('user_callback', 'user_callback_floor')),
    # Where a userspace no-op goes. Measured in the userspace part: the
    # syscall (the ioctl floor) and the TEE core's ioctl path with its
    # copies (the same ioctl refused by the driver before QTEE, over the
    # floor); the rest is the driver and the simulated QTEE, split as the
    # kernel suite measured them run by run (transport floor over kernel
    # API), since absolute figures of the two parts move apart.
    ('breakdown_user_noop_syscall', 'ns',
     lambda m: m['user_ioctl_floor'], ('user_ioctl_floor',)),
    ('breakdown_user_noop_tee_core', 'ns',
     lambda m: m['user_invoke_rejected'] - m['user_ioctl_floor'],
     ('user_invoke_rejected', 'user_ioctl_floor')),
    ('breakdown_user_noop_qtee', 'ns',
     lambda m: ((m['user_noop_invoke'] - m['user_invoke_rejected']) /
                m['noop_app_kernel_ratio']),
     ('user_noop_invoke', 'user_invoke_rejected', 'noop_app_kernel_ratio')),
    ('breakdown_user_noop_driver', 'ns',
     lambda m: (m['user_noop_invoke'] - m['user_invoke_rejected'] -
                m['breakdown_user_noop_qtee']),
     ('user_noop_invoke', 'user_invoke_rejected',
      'breakdown_user_noop_qtee')),
    # And a callback into a userspace object: the two thread switches (the
    # futex round trip) and the supplicant's two ioctls, measured; the rest
    # is QTEE's side and the driver with the supplicant queue, split as the
    # kernel suite measured a callback into a kernel object.
    ('breakdown_user_callback_wakeups', 'ns',
     lambda m: m['user_wake_roundtrip'], ('user_wake_roundtrip',)),
    ('breakdown_user_callback_syscalls', 'ns',
     lambda m: 2 * m['user_ioctl_floor'], ('user_ioctl_floor',)),
    ('breakdown_user_callback_qtee', 'ns',
     lambda m: ((m['user_callback'] - m['user_wake_roundtrip'] -
                 2 * m['user_ioctl_floor']) / m['callback_kernel_ratio']),
     ('user_callback', 'user_wake_roundtrip', 'user_ioctl_floor',
      'callback_kernel_ratio')),
    ('breakdown_user_callback_driver', 'ns',
     lambda m: (m['user_callback'] - m['user_wake_roundtrip'] -
                2 * m['user_ioctl_floor'] - m['breakdown_user_callback_qtee']),
     ('user_callback', 'user_wake_roundtrip', 'user_ioctl_floor',
      'breakdown_user_callback_qtee')),
    # Calls per second of two invoking threads over one, and the same for
    # the ioctl floor: how much two vCPUs run in parallel here at all
    # (QEMU's vCPU threads share the host's cores with everything else).
    ('user_noop_2thr_throughput_x', 'x',
     lambda m: m['user_noop_invoke'] / m['user_noop_invoke_2thr_wall_per_call'],
     ('user_noop_invoke', 'user_noop_invoke_2thr_wall_per_call')),
    ('user_ioctl_2thr_throughput_x', 'x',
     lambda m: m['user_ioctl_floor'] / m['user_ioctl_floor_2thr_wall_per_call'],
     ('user_ioctl_floor', 'user_ioctl_floor_2thr_wall_per_call')),
]

# (title, name prefixes, prefixes left to a later section)
USER_BUFS = ('user_echo_', 'user_memcpy_')
USER_ALLOCS = ('user_allocs_',)
SECTIONS = [
    ('1. no-op round trip (kernel API vs raw transport)', 'noop_', ()),
    ('2. userspace OBJECT_INVOKE', 'user_', USER_BUFS + USER_ALLOCS),
    ('3. callback round trip (per callback)', 'callback_', ()),
    ('4. buffers (IB/OB via QTA ECHO: kernel API, then userspace UBUF) '
     'vs memcpy', ('echo_', 'memcpy_') + USER_BUFS, ()),
    ('5. object table', 'table_', ()),
    ('6. allocations per call (bench task; user_*: the program\'s '
     'threads)', ('allocs_',) + USER_ALLOCS, ()),
    ('7. where the userspace no-op and callback go (from the figures '
     'above)', 'breakdown_', ()),
    ('8. no-op over the real SMC path (board kernel on the test firmware: '
     'qcom_scm, SMCINVOKE)', 'smc_', ()),
]


def num(s):
    try:
        return float(s)
    except ValueError:
        return s


def parse(paths):
    """Figures, notes, cases and userspace lines of all logs, and whether
    one is a boot on the firmware. A case passes if it passed in a log and
    failed in none: each boot skips the suites it cannot run."""
    figures, notes, cases, user, smc = {}, [], {}, [], False
    for path in paths:
        with open(path, errors='replace') as f:
            for line in f:
                line = line.rstrip('\r\n')
                if SMC_BOOT_RE.search(line):
                    smc = True
                m = BENCH_RE.search(line)
                if m:
                    fig = {}
                    for kv in m.group(1).split():
                        k, _, v = kv.partition('=')
                        fig[k] = num(v)
                    if 'name' in fig:
                        figures[fig['name']] = fig
                    continue
                m = CASE_RE.match(line)
                if m:
                    name, detail = m.group(2), m.group(3).strip()
                    if m.group(1) != 'ok':
                        cases[name] = (False, detail)
                    elif 'SKIP' not in detail:
                        if cases.get(name, (True,))[0]:
                            cases[name] = (True, detail)
                    elif name not in cases:
                        cases[name] = (None, detail)
                    continue
                m = NOTE_RE.search(line)
                if m and 'should be marked slow' not in line:
                    notes.append('%s: %s' % (m.group(1), m.group(2)))
                    continue
                m = USER_RE.search(line)
                if m:
                    user.append(m.group(1))
    return figures, notes, cases, user, smc


def derive(figures):
    """Adds the DERIVED figures whose inputs are all there and that the
    userspace program did not measure itself (run by run)."""
    for name, unit, fn, needs in DERIVED:
        if name in figures and not figures[name].get('derived'):
            continue
        med = {n: figures[n]['median'] for n in figures
               if isinstance(figures[n].get('median'), float)}
        if all(n in med and med[n] for n in needs):
            v = round(fn(med), 3)
            figures[name] = {'name': name, 'unit': unit, 'median': v,
                             'p10': v, 'p90': v, 'runs': 1, 'iters': 0,
                             'derived': True}


def fmt(v):
    if isinstance(v, str):
        return v
    if v == 0:
        return '0'
    if abs(v) >= 100:
        return '%.0f' % v
    if abs(v) >= 10:
        return '%.1f' % v
    return '%.3g' % v if abs(v) >= 1 else '%.3f' % v


def spread(fig):
    med = fig.get('median')
    if not isinstance(med, float) or not med or fig.get('runs', 0) < 2:
        return '-'
    return '%.1f%%' % (100.0 * (fig['p90'] - fig['p10']) / med)


def table(figures):
    out = []
    head = '%-34s %-7s %12s %12s %12s %8s %10s' % (
        'figure', 'unit', 'median', 'p10', 'p90', 'p90-p10', 'runs x it')
    done = set()
    for title, prefix, later in SECTIONS:
        names = [n for n in figures
                 if n.startswith(prefix) and not n.startswith(later)]
        if not names:
            continue
        out.append('')
        out.append(title)
        out.append(head)
        for n in names:
            f = figures[n]
            done.add(n)
            out.append('%-34s %-7s %12s %12s %12s %8s %10s' % (
                n, f.get('unit', ''), fmt(f.get('median', '')),
                fmt(f.get('p10', '')), fmt(f.get('p90', '')), spread(f),
                '%dx%d' % (f.get('runs', 0), f.get('iters', 0))))
    rest = [n for n in figures if n not in done]
    if rest:
        out.append('')
        out.append('other')
        out.append(head)
        for n in rest:
            f = figures[n]
            out.append('%-34s %-7s %12s %12s %12s %8s %10s' % (
                n, f.get('unit', ''), fmt(f.get('median', '')),
                fmt(f.get('p10', '')), fmt(f.get('p90', '')), spread(f),
                '%dx%d' % (f.get('runs', 0), f.get('iters', 0))))
    return '\n'.join(out)


def summary(figures):
    s = {}
    g = figures.get
    if g('noop_kernel_ratio'):
        s['noop_kernel_driver_over_floor'] = g('noop_kernel_ratio')['median']
    if g('noop_kernel_driver') and g('noop_kernel_floor'):
        s['noop_kernel_driver_ns'] = g('noop_kernel_driver')['median']
        s['noop_kernel_floor_ns'] = g('noop_kernel_floor')['median']
    if g('allocs_noop_driver'):
        s['allocs_per_noop_call_driver'] = g('allocs_noop_driver')['median']
    if g('allocs_noop_all') and g('allocs_noop_floor_all'):
        s['allocs_per_noop_call_all'] = g('allocs_noop_all')['median']
        s['allocs_per_noop_call_floor_all'] = \
            g('allocs_noop_floor_all')['median']
    if g('user_noop_invoke') and g('noop_app_kernel_driver'):
        s['user_over_kernel_same_op'] = round(
            g('user_noop_invoke')['median'] /
            g('noop_app_kernel_driver')['median'], 3)
    if g('callback_kernel_ratio'):
        s['callback_kernel_driver_over_floor'] = \
            g('callback_kernel_ratio')['median']
    if g('smc_noop_kernel_ratio'):
        s['smc_noop_kernel_driver_over_floor'] = \
            g('smc_noop_kernel_ratio')['median']
    if g('smc_noop_kernel_driver') and g('noop_kernel_driver'):
        s['smc_noop_over_in_kernel_transport'] = round(
            g('smc_noop_kernel_driver')['median'] /
            g('noop_kernel_driver')['median'], 3)
    for n in ('user_noop_over_floor', 'user_callback_over_floor',
              'user_noop_2thr_throughput_x', 'user_ioctl_2thr_throughput_x'):
        if g(n):
            s[n] = g(n)['median']
    for t in ('4k', '64k', '1m'):
        for k, name in (('echo_%s_driver_MBps', 'echo_%s_driver'),
                        ('echo_%s_driver_over_floor',
                         'echo_%s_driver_vs_floor'),
                        ('memcpy_%s_MBps', 'memcpy_%s'),
                        ('user_echo_%s_MBps', 'user_echo_%s')):
            if g(name % t):
                s[k % t] = g(name % t)['median']
    return s


def main():
    args, meta = sys.argv[1:], {}
    while len(args) >= 2 and args[0] == '--meta':
        k, _, v = args[1].partition('=')
        meta[k] = v
        args = args[2:]
    if len(args) < 2:
        sys.exit('usage: bench-report.py [--meta K=V]... CONSOLE_LOG... '
                 'OUT_JSON')
    logs, out = args[:-1], args[-1]
    figures, notes, cases, user, smc = parse(logs)
    derive(figures)
    expected = (EXPECTED + (EXPECTED_USER if user else []) +
                (EXPECTED_SMC if smc else []))
    missing = [n for n in expected if n not in figures]
    failed = [c for c, (ok, _) in cases.items() if ok is False]
    summ = summary(figures)

    print('qcomtee benchmarks (median of per-run averages; p10/p90 over runs)')
    for k, v in meta.items():
        print('  %s: %s' % (k, v))
    print(table(figures))
    if summ:
        print('')
        print('summary')
        for k, v in summ.items():
            print('  %-40s %s' % (k, fmt(v)))
    if notes:
        print('')
        print('notes')
        for n in notes:
            print('  ' + n)
    if user:
        print('')
        print('userspace')
        for u in user:
            print('  ' + u)

    with open(out, 'w') as f:
        json.dump({'meta': meta,
                   'figures': list(figures.values()), 'summary': summ,
                   'cases': {c: {'ok': ok, 'detail': d}
                             for c, (ok, d) in cases.items()},
                   'notes': notes, 'userspace': user,
                   'missing': missing}, f, indent=1)
    print('')
    print('results: %s' % out)
    rc = 0
    if not cases:
        print('error: no qcomtee_bench case ran', file=sys.stderr)
        rc = 1
    if failed:
        print('error: cases not passed: %s' % ', '.join(failed),
              file=sys.stderr)
        rc = 1
    if missing:
        print('error: missing figures: %s' % ', '.join(missing),
              file=sys.stderr)
        rc = 1
    return rc


if __name__ == '__main__':
    sys.exit(main())
