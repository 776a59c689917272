#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keep po/POTFILES.in in step with the sources that mark strings for translation.

  build-aux/check-potfiles.py [--root DIR]            check; exit 1 and explain on a mismatch
  build-aux/check-potfiles.py [--root DIR] --update   rewrite po/POTFILES.in, sorted

A file needs to be listed when it is one of the translatable data inputs (desktop entry,
AppStream metainfo, GSettings schema) or when it marks strings: _(" … "), N_(" … "),
C_(" … "), NC_(, Q_(, g_dngettext (, ngettext ( and friends in C, translatable="yes" in
GtkBuilder .ui files. The check fails when such a file is missing from POTFILES.in, when
POTFILES.in names a file that does not exist, and when POTFILES.in is not sorted or has a
duplicate. Files named in po/POTFILES.skip (same format) are never required.
Only the standard library is used.
"""

import argparse
import os
import re
import sys

SCAN_DIRS = ('src', 'data')
SKIP_DIR_NAMES = {'.git', 'subprojects', '__pycache__', 'node_modules'}

C_SUFFIXES = ('.c', '.h')
UI_SUFFIXES = ('.ui',)
# Translatable data inputs: always listed, whether or not they carry a marker.
DATA_PATTERNS = (
    re.compile(r'\.desktop\.in(\.in)?$'),
    re.compile(r'\.metainfo\.xml\.in(\.in)?$'),
    re.compile(r'\.appdata\.xml\.in(\.in)?$'),
    re.compile(r'\.gschema\.xml(\.in)?$'),
)

# A gettext call: the marker must be a whole identifier, and a string literal must follow
# (possibly on the next line) for the underscore macros, which are also common in other
# identifiers such as FOO_ ("…") in generated code.
C_MARKER = re.compile(
    r'(?<![A-Za-z0-9_])'
    r'(?:(?:_|N_|C_|NC_|Q_)\s*\(\s*"'
    r'|(?:g_dngettext|g_dpgettext2?|g_dgettext|g_dcgettext|ngettext|dngettext|pgettext)\s*\()')
UI_MARKER = re.compile(r'translatable\s*=\s*["\']yes["\']')


def strip_c_comments(text):
    """Drops /* */ and // comments so that a commented-out _("x") does not count.
    String literals are kept as they are (a "/*" inside a string is left alone)."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            i = n if j < 0 else j + 2
            out.append(' ')
        elif text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def marks_strings(path):
    name = os.path.basename(path)
    if any(p.search(name) for p in DATA_PATTERNS):
        return True
    if not name.endswith(C_SUFFIXES + UI_SUFFIXES):
        return False
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
    except OSError:
        return False
    if name.endswith(UI_SUFFIXES):
        return UI_MARKER.search(text) is not None
    return C_MARKER.search(strip_c_comments(text)) is not None


def find_marking_files(root):
    found = set()
    for top in SCAN_DIRS:
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in SKIP_DIR_NAMES and not d.startswith('.'))
            for name in filenames:
                path = os.path.join(dirpath, name)
                if marks_strings(path):
                    found.add(os.path.relpath(path, root).replace(os.sep, '/'))
    return found


def read_list(path):
    """The entries of a POTFILES-style file, in order, without comments or blank lines."""
    entries = []
    try:
        with open(path, encoding='utf-8') as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith('#'):
                    entries.append(line)
    except FileNotFoundError:
        pass
    return entries


def read_header(path):
    """The leading comment lines of POTFILES.in, kept by --update."""
    header = []
    try:
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.startswith('#'):
                    header.append(line.rstrip('\n'))
                else:
                    break
    except FileNotFoundError:
        pass
    return header


def main(argv):
    parser = argparse.ArgumentParser(description='Check or update po/POTFILES.in.')
    parser.add_argument('--root', default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        help='source tree to look at (default: this checkout)')
    parser.add_argument('--update', action='store_true',
                        help='rewrite po/POTFILES.in instead of checking it')
    args = parser.parse_args(argv)

    root = os.path.abspath(args.root)
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    skipped = set(read_list(os.path.join(root, 'po', 'POTFILES.skip')))
    wanted = find_marking_files(root) - skipped

    if args.update:
        header = read_header(potfiles) or [
            '# List of source files that contain translatable strings.',
            '# Kept sorted by build-aux/check-potfiles.py --update; checked by the data tests.']
        os.makedirs(os.path.dirname(potfiles), exist_ok=True)
        with open(potfiles, 'w', encoding='utf-8') as f:
            f.write('\n'.join(header + sorted(wanted)) + '\n')
        print(f'check-potfiles: wrote {len(wanted)} entries to po/POTFILES.in')
        return 0

    listed = read_list(potfiles)
    problems = []
    if not os.path.exists(potfiles):
        problems.append('po/POTFILES.in does not exist')
    for entry in sorted(wanted - set(listed)):
        problems.append(f'{entry}: marks strings for translation but is not in po/POTFILES.in')
    for entry in listed:
        if not os.path.isfile(os.path.join(root, entry)):
            problems.append(f'{entry}: listed in po/POTFILES.in but does not exist')
    seen = set()
    for entry in listed:
        if entry in seen:
            problems.append(f'{entry}: listed twice in po/POTFILES.in')
        seen.add(entry)
    if listed != sorted(listed):
        problems.append('po/POTFILES.in is not sorted')

    if problems:
        for p in problems:
            print(f'check-potfiles: {p}', file=sys.stderr)
        print('check-potfiles: run build-aux/check-potfiles.py --update to fix the list',
              file=sys.stderr)
        return 1
    print(f'check-potfiles: po/POTFILES.in lists all {len(wanted)} files with strings')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
