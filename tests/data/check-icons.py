#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the application icons beyond XML validity (xmllint does that).

  check-icons.py ICON.svg...

A full-colour icon must be a square SVG drawn on a 128×128 canvas. A symbolic icon
(*-symbolic.svg) must be 16×16 and monochrome: filled shapes of a single colour, without
gradients, patterns, images, strokes or text, so that GTK can recolour it for any theme.
"""

import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'


def check(path):
    problems = []
    root = ET.parse(path).getroot()
    if root.tag != SVG + 'svg':
        return [f'{path}: the root element is {root.tag}, not an SVG <svg>']
    symbolic = path.endswith('-symbolic.svg')
    size = '16' if symbolic else '128'
    if root.get('width') != size or root.get('height') != size:
        problems.append(f'{path}: width/height must be {size}')
    if (root.get('viewBox') or '').split() != ['0', '0', size, size]:
        problems.append(f'{path}: viewBox must be "0 0 {size} {size}"')

    shapes = [e for e in root.iter() if e.tag[len(SVG):] in
              ('path', 'rect', 'circle', 'ellipse', 'polygon')]
    if not shapes:
        problems.append(f'{path}: draws nothing')

    if symbolic:
        colours = set()
        for e in root.iter():
            name = e.tag[len(SVG):]
            if name in ('linearGradient', 'radialGradient', 'pattern', 'image', 'text'):
                problems.append(f'{path}: symbolic icons cannot use <{name}>')
            stroke = e.get('stroke')
            if stroke and stroke != 'none':
                problems.append(f'{path}: symbolic icons are drawn with fills, not strokes')
            fill = e.get('fill')
            if fill and fill != 'none':
                colours.add(fill.lower())
            if re.search(r'(fill|stroke)\s*:', e.get('style') or ''):
                problems.append(f'{path}: colours belong in fill attributes, not style')
        if len(colours) > 1:
            problems.append(f'{path}: symbolic icons are monochrome, found {sorted(colours)}')
    return problems


def main(argv):
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems = []
    for path in argv:
        try:
            problems += check(path)
        except (OSError, ET.ParseError) as e:
            problems.append(f'{path}: {e}')
    for p in problems:
        print(p, file=sys.stderr)
    if not problems:
        print(f'{len(argv)} icons OK')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
