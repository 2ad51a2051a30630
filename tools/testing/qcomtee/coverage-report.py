#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make coverage: decode the gcov data of the console log, run gcov, report.

  coverage-report.py decode LOG OBJTREE
      Writes every .gcda file gcov_dump printed (QCOMTEE-GCDA-BEGIN ... END,
      size and CRC-32 checked) into OBJTREE next to its .gcno file. Fails
      if a file is corrupt or missing, or nothing was dumped.

  coverage-report.py report OBJTREE SRCTREE ORIGDIR OUT UNCOVERED HEADER
                            FILE...
      Runs gcov (GCOV, default aarch64-linux-gnu-gcov) on the objects of
      FILE... (paths relative to SRCTREE), writes the per-file and
      per-function line coverage to OUT and the uncovered lines of the
      driver files to UNCOVERED, and prints the summary. A FILE of the
      form "patched:PATH" is a file of the unmodified kernel changed by
      patches/: its original is ORIGDIR/PATH and the report also gives the
      figures of the lines the series added. HEADER is a file whose text
      heads OUT.
"""
import base64
import datetime
import json
import os
import re
import subprocess
import sys
import zlib

GCOV = os.environ.get('GCOV', 'aarch64-linux-gnu-gcov')
# Attribute macros with arguments before a function's name.
ATTRS = {'__printf', '__scanf', '__must_hold', '__acquires', '__releases',
         '__cond_acquires', '__attribute__', '__alloc_size', '__section'}


def decode(log_path, objtree):
    objtree = os.path.abspath(objtree)
    files = {}
    cur = None
    done = None
    errors = []
    with open(log_path, 'rb') as f:
        for raw in f:
            line = raw.decode('ascii', 'replace').rstrip('\r\n').rstrip('\r')
            if line.startswith('QCOMTEE-GCDA-BEGIN '):
                parts = line.split(' ', 3)
                if len(parts) != 4:
                    errors.append(f'bad line: {line}')
                    continue
                cur = {'size': int(parts[1]), 'crc': int(parts[2], 16),
                       'path': parts[3], 'b64': []}
            elif line.startswith('QCOMTEE-GCDA ') and cur is not None:
                cur['b64'].append(line[len('QCOMTEE-GCDA '):].strip())
            elif line.startswith('QCOMTEE-GCDA-END ') and cur is not None:
                if line[len('QCOMTEE-GCDA-END '):] != cur['path']:
                    errors.append(f'{cur["path"]}: interleaved END')
                files[cur['path']] = cur
                cur = None
            elif line.startswith('QCOMTEE-GCDA-ERROR '):
                errors.append('guest: ' + line)
            elif line.startswith('QCOMTEE-GCOV-DONE '):
                done = line
    if done is None:
        errors.append('no QCOMTEE-GCOV-DONE line: the dump did not finish')
    written = 0
    for path, ent in sorted(files.items()):
        try:
            data = base64.b64decode(''.join(ent['b64']), validate=True)
        except ValueError as e:
            errors.append(f'{path}: bad base64: {e}')
            continue
        if len(data) != ent['size'] or zlib.crc32(data) != ent['crc']:
            errors.append(f'{path}: corrupt (size {len(data)}/{ent["size"]}, '
                          f'crc {zlib.crc32(data):08x}/{ent["crc"]:08x})')
            continue
        if path.startswith(objtree + '/'):
            dst = path
        elif '/drivers/' in path:
            dst = objtree + path[path.index('/drivers/'):]
        else:
            errors.append(f'{path}: not under {objtree}')
            continue
        if not os.path.exists(dst[:-5] + '.gcno'):
            errors.append(f'{dst}: no .gcno next to it')
            continue
        with open(dst + '.tmp', 'wb') as out:
            out.write(data)
        os.replace(dst + '.tmp', dst)
        written += 1
    for e in errors:
        print(f'coverage: {e}', file=sys.stderr)
    print(f'coverage: {written} .gcda files decoded into {objtree}'
          + (f' ({done})' if done else ''), file=sys.stderr)
    return 1 if errors or not written else 0


def source_functions(lines):
    """(start, end, name) of the function bodies of kernel-style C source:
    the body opens with "{" and closes with "}" alone at column 0."""
    funcs = []
    i = 0
    n = len(lines)
    while i < n:
        if lines[i].rstrip() == '{':
            # The signature: back to the line that starts at column 0.
            j = i - 1
            while j > 0 and lines[j][:1] in ('\t', ' '):
                j -= 1
            sig = ' '.join(l.strip() for l in lines[j:i])
            names = [x for x in re.findall(r'([A-Za-z_][A-Za-z0-9_]*)\s*\(',
                                           sig) if x not in ATTRS]
            name = names[0] if names else f'line {i + 1}'
            k = i + 1
            while k < n and lines[k].rstrip() != '}':
                k += 1
            funcs.append((j + 1, k + 1, name))
            i = k + 1
        else:
            i += 1
    return funcs


def gcov_lines(objtree, srctree, rel):
    """{line: count} of the executable lines of SRCTREE/rel, from gcov."""
    obj = os.path.splitext(rel)[0] + '.o'
    src = os.path.realpath(os.path.join(srctree, rel))
    res = subprocess.run([GCOV, '--json-format', '--stdout', obj],
                         cwd=objtree, capture_output=True, text=True)
    if res.returncode:
        raise RuntimeError(f'{GCOV} {obj}: {res.stderr.strip()}')
    warn = [l for l in res.stderr.splitlines()
            if 'newer' in l or 'stamp' in l or 'mismatch' in l]
    counts = {}
    found = False
    for text in res.stdout.splitlines():
        if not text.strip():
            continue
        data = json.loads(text)
        cwd = data.get('current_working_directory', objtree)
        for ent in data.get('files', []):
            path = os.path.realpath(os.path.join(cwd, ent['file']))
            if path != src:
                continue
            found = True
            for ln in ent.get('lines', []):
                counts[ln['line_number']] = counts.get(ln['line_number'], 0) \
                    + ln['count']
    if not found:
        raise RuntimeError(f'gcov knows nothing of {rel} in {obj}')
    return counts, warn


def added_lines(orig, new):
    """Line numbers of NEW that a diff from ORIG adds."""
    res = subprocess.run(['diff', '-U0', orig, new], capture_output=True,
                         text=True)
    if res.returncode > 1:
        raise RuntimeError(f'diff {orig} {new}: {res.stderr.strip()}')
    added = set()
    for line in res.stdout.splitlines():
        m = re.match(r'@@ -\S+ \+(\d+)(?:,(\d+))? @@', line)
        if m:
            start = int(m.group(1))
            count = int(m.group(2)) if m.group(2) is not None else 1
            added.update(range(start, start + count))
    return added


def pct(e, t):
    return f'{100.0 * e / t:5.1f}%' if t else '    -'


def report(objtree, srctree, origdir, out_path, unc_path, header_path, files):
    results = []
    stale = []
    for spec in files:
        patched = spec.startswith('patched:')
        rel = spec[len('patched:'):] if patched else spec
        src = os.path.join(srctree, rel)
        counts, warn = gcov_lines(objtree, srctree, rel)
        gcno = os.path.join(objtree, os.path.splitext(rel)[0] + '.gcno')
        if warn or os.path.getmtime(src) > os.path.getmtime(gcno):
            stale.append(rel)
        with open(src, errors='replace') as f:
            text = f.read().split('\n')
        funcs = []
        for start, end, name in source_functions(text):
            ls = [l for l in counts if start <= l <= end]
            if ls:
                funcs.append((name, start, sum(1 for l in ls if counts[l]),
                              len(ls)))
        inside = {l for s, e, _ in source_functions(text)
                  for l in range(s, e + 1)}
        rest = [l for l in counts if l not in inside]
        if rest:
            funcs.append(('(outside function bodies)', min(rest),
                          sum(1 for l in rest if counts[l]), len(rest)))
        ent = {'rel': rel, 'patched': patched, 'counts': counts,
               'text': text, 'funcs': funcs,
               'exec': sum(1 for c in counts.values() if c),
               'total': len(counts)}
        if patched:
            add = added_lines(os.path.join(origdir, rel), src)
            pl = [l for l in counts if l in add]
            ent['patch_exec'] = sum(1 for l in pl if counts[l])
            ent['patch_total'] = len(pl)
            ent['added'] = add
        results.append(ent)

    drv = [r for r in results if not r['patched']]
    de = sum(r['exec'] for r in drv)
    dt = sum(r['total'] for r in drv)

    table = []
    w = max(len(r['rel']) for r in results) + 2
    w = max(w, 44)
    table.append(f'{"file":<{w}}{"lines":>7}{"exec":>7}{"cover":>8}')
    for r in drv:
        table.append(f'{r["rel"]:<{w}}{r["total"]:>7}{r["exec"]:>7}'
                     f'{pct(r["exec"], r["total"]):>8}')
    table.append(f'{"driver total (drivers/tee/qcomtee/*.c)":<{w}}{dt:>7}'
                 f'{de:>7}{pct(de, dt):>8}')
    for r in results:
        if not r['patched']:
            continue
        table.append(f'{r["rel"] + " (whole file)":<{w}}{r["total"]:>7}'
                     f'{r["exec"]:>7}{pct(r["exec"], r["total"]):>8}')
        table.append(f'{r["rel"] + " (lines patches/ add)":<{w}}'
                     f'{r["patch_total"]:>7}{r["patch_exec"]:>7}'
                     f'{pct(r["patch_exec"], r["patch_total"]):>8}')

    allf = [(r['rel'], f) for r in drv for f in r['funcs']]
    low = sorted((x for x in allf if x[1][2] < x[1][3]),
                 key=lambda x: (x[1][2] / x[1][3], -(x[1][3] - x[1][2])))
    never = [x for x in allf if x[1][2] == 0]
    lowest = ['lowest-covered driver functions (lines exec/total):']
    for rel, (name, start, e, t) in low[:20]:
        lowest.append(f'  {pct(e, t)} {e:>4}/{t:<4} {name} '
                      f'({os.path.basename(rel)}:{start})')
    lowest.append(f'  {len(never)} of {len(allf)} driver functions never run, '
                  f'{sum(1 for x in allf if x[1][2] == x[1][3])} fully covered')

    with open(header_path) as f:
        header = f.read().rstrip('\n')
    with open(out_path + '.tmp', 'w') as out:
        out.write(header + '\n')
        out.write('Line coverage from gcov: a line counts if gcc emitted code '
                  'for it. The TEE core\nfiles are given whole and for the '
                  'lines the patch series adds to them\n(diff against '
                  'linux-source-6.12).\n')
        if stale:
            out.write('WARNING: source newer than its .gcno (edited after '
                      'the build): ' + ', '.join(stale) + '\n')
        out.write('\n' + '\n'.join(table) + '\n\n' + '\n'.join(lowest)
                  + '\n\nper function (lines exec/total):\n')
        for r in results:
            title = r['rel']
            if r['patched']:
                title += (f' (whole file; lines patches/ add: '
                          f'{r["patch_exec"]}/{r["patch_total"]})')
            out.write(f'\n{title}: {r["exec"]}/{r["total"]} '
                      f'{pct(r["exec"], r["total"]).strip()}\n')
            for name, start, e, t in r['funcs']:
                out.write(f'  {pct(e, t)} {e:>4}/{t:<4} {name} '
                          f'(line {start})\n')
    os.replace(out_path + '.tmp', out_path)

    with open(unc_path + '.tmp', 'w') as out:
        out.write('Uncovered lines (gcov count 0) of the driver files, and '
                  'of the lines patches/ adds\nto the TEE core files.\n')
        for r in results:
            miss = sorted(l for l, c in r['counts'].items() if not c
                          and (not r['patched'] or l in r['added']))
            what = ' (lines added by patches/)' if r['patched'] else ''
            out.write(f'\n== {r["rel"]}{what}: {len(miss)} uncovered\n')
            for l in miss:
                src = r['text'][l - 1] if l <= len(r['text']) else ''
                out.write(f'{r["rel"]}:{l}: {src.rstrip()}\n')
    os.replace(unc_path + '.tmp', unc_path)

    print('\n'.join(table))
    print()
    print('\n'.join(lowest))
    if stale:
        print('WARNING: sources changed after the build: ' + ', '.join(stale),
              file=sys.stderr)
    return 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == 'decode':
        return decode(sys.argv[2], sys.argv[3])
    if len(sys.argv) >= 9 and sys.argv[1] == 'report':
        return report(*sys.argv[2:8], sys.argv[8:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
