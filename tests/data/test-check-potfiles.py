#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests build-aux/check-potfiles.py on small throwaway source trees. Prints TAP.

  test-check-potfiles.py CHECK_POTFILES_SCRIPT
"""

import os
import subprocess
import sys
import tempfile

SCRIPT = None
CASES = []


def make_tree(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)


def run(root, *args):
    proc = subprocess.run([sys.executable, SCRIPT, '--root', root, *args],
                          capture_output=True, text=True, timeout=30)
    return proc.returncode, proc.stdout + proc.stderr


def case(name):
    def register(fn):
        CASES.append((name, fn))
        return fn
    return register


BASE = {
    'data/app.desktop.in.in': '[Desktop Entry]\nName=App\n',
    'data/app.metainfo.xml.in.in': '<component/>\n',
    'data/app.gschema.xml': '<schemalist/>\n',
    'data/app.gresource.xml': '<gresources/>\n',
    'src/marks.c': '#include <glib/gi18n.h>\nconst char *s (void) { return _("Hello"); }\n',
    'src/plural.c': 'void f (int n) { g_dngettext (NULL, "one", "many", n); }\n',
    'src/static.c': 'static const char *x[] = { N_ (\n  "Spread over lines") };\n',
    'src/window.ui': '<interface><object><property name="title" translatable="yes">T'
                     '</property></object></interface>\n',
    'src/plain.c': 'int answer (void) { return 42; }\n',
    'src/comment.c': '/* _("only in a comment") */\n// N_("nor here")\nint x;\n',
    'src/quoted.c': 'const char *s = "no _(\\"marker\\") inside a string /* here */";\n',
    'src/lookalike.c': 'int FOO_("x");\n',
    'src/plain.ui': '<interface><object><property name="title">T</property></object>'
                    '</interface>\n',
    'tests/test-x.c': 'const char *t = _("tests are not translated");\n',
}
EXPECTED = sorted([
    'data/app.desktop.in.in', 'data/app.gschema.xml', 'data/app.metainfo.xml.in.in',
    'src/marks.c', 'src/plural.c', 'src/static.c', 'src/window.ui',
])


def listed(root):
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        return [l.strip() for l in f if l.strip() and not l.startswith('#')]


@case('update writes exactly the files that mark strings, sorted')
def _(root):
    make_tree(root, BASE)
    rc, out = run(root, '--update')
    assert rc == 0, out
    assert listed(root) == EXPECTED, listed(root)
    rc, out = run(root)
    assert rc == 0, f'check after update failed: {out}'


@case('a file that marks strings but is not listed fails the check')
def _(root):
    make_tree(root, BASE)
    assert run(root, '--update')[0] == 0
    make_tree(root, {'src/new-page.c': 'void f (void) { g_print ("%s", _("New")); }\n'})
    rc, out = run(root)
    assert rc == 1, f'rc {rc}: {out}'
    assert 'src/new-page.c' in out and 'not in po/POTFILES.in' in out, out


@case('a listed file that does not exist fails the check')
def _(root):
    make_tree(root, BASE)
    assert run(root, '--update')[0] == 0
    os.remove(os.path.join(root, 'src', 'marks.c'))
    rc, out = run(root)
    assert rc == 1, f'rc {rc}: {out}'
    assert 'src/marks.c: listed in po/POTFILES.in but does not exist' in out, out


@case('an unsorted or duplicated list fails the check')
def _(root):
    make_tree(root, BASE)
    make_tree(root, {'po/POTFILES.in': '\n'.join(reversed(EXPECTED)) + '\n'})
    rc, out = run(root)
    assert rc == 1 and 'not sorted' in out, f'rc {rc}: {out}'
    make_tree(root, {'po/POTFILES.in': '\n'.join(EXPECTED + EXPECTED[-1:]) + '\n'})
    rc, out = run(root)
    assert rc == 1 and 'listed twice' in out, f'rc {rc}: {out}'


@case('POTFILES.skip exempts a file; update keeps the header comment')
def _(root):
    make_tree(root, BASE)
    make_tree(root, {'po/POTFILES.skip': 'src/plural.c\n',
                     'po/POTFILES.in': '# my header\n'})
    assert run(root, '--update')[0] == 0
    assert 'src/plural.c' not in listed(root), listed(root)
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        assert f.readline() == '# my header\n'
    assert run(root)[0] == 0


@case('a missing POTFILES.in fails the check')
def _(root):
    make_tree(root, BASE)
    rc, out = run(root)
    assert rc == 1 and 'does not exist' in out, f'rc {rc}: {out}'


def main(argv):
    global SCRIPT
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    SCRIPT = argv[0]
    print(f'1..{len(CASES)}')
    failed = 0
    for i, (name, fn) in enumerate(CASES, 1):
        with tempfile.TemporaryDirectory(prefix='potfiles-test-') as root:
            try:
                fn(root)
                print(f'ok {i} - {name}')
            except AssertionError as e:
                failed += 1
                print(f'not ok {i} - {name}')
                for line in str(e).splitlines():
                    print(f'# {line}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
