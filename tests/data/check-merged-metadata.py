#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the built desktop entry and metainfo against the project, after i18n.merge_file.

  check-merged-metadata.py DESKTOP METAINFO APP_ID VERSION PO_DIR

The validators check each file on its own; this checks that they agree with each other and
with the build: the application id (which ends in .Devel in a development build) in the
desktop file's Icon, the metainfo id and launchable; the executables; the gettext domain; a
release entry for the project version; and that every translation of the summary found in
po/<lang>.po for a language of po/LINGUAS was merged into both files.
"""

import configparser
import os
import re
import sys
import xml.etree.ElementTree as ET

XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
SUMMARY = 'Send customer audiences to Marketo Engage'


def po_translation(po_path, msgid):
    """The msgstr of a one-line msgid in a .po file, or '' (untranslated, fuzzy or absent)."""
    with open(po_path, encoding='utf-8') as f:
        text = f.read()
    for entry in text.split('\n\n'):
        if '#, fuzzy' in entry:
            continue
        m = re.search(r'^msgid "(.*)"\nmsgstr "(.*)"$', entry, re.M)
        if m and m.group(1) == msgid:
            return m.group(2)
    return ''


def main(argv):
    if len(argv) != 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    desktop_path, metainfo_path, app_id, version, po_dir = argv
    problems = []

    def expect(what, got, wanted):
        if got != wanted:
            problems.append(f'{what} is {got!r}, expected {wanted!r}')

    desktop = configparser.RawConfigParser(strict=True, interpolation=None)
    desktop.optionxform = str
    desktop.read(desktop_path, encoding='utf-8')
    entry = desktop['Desktop Entry']
    expect('desktop Icon', entry.get('Icon'), app_id)
    expect('desktop Exec', entry.get('Exec'), 'audience-push')
    expect('desktop Name', entry.get('Name'), 'Audience Push')
    expect('desktop Comment', entry.get('Comment'), SUMMARY)
    expect('desktop file name', os.path.basename(desktop_path), app_id + '.desktop')

    component = ET.parse(metainfo_path).getroot()
    expect('metainfo id', component.findtext('id'), app_id)
    expect('metainfo file name', os.path.basename(metainfo_path), app_id + '.metainfo.xml')
    expect('metainfo launchable', component.findtext("launchable[@type='desktop-id']"),
           app_id + '.desktop')
    expect('metainfo translation domain', component.findtext("translation[@type='gettext']"),
           'audience-push')
    expect('metainfo binaries', sorted(b.text for b in component.iterfind('provides/binary')),
           ['audience-push', 'audience-push-cli'])
    summaries = {s.get(XML_LANG): s.text for s in component.iterfind('summary')}
    expect('metainfo summary', summaries.get(None), SUMMARY)
    releases = [r.get('version') for r in component.iterfind('releases/release')]
    if version not in releases:
        problems.append(f'metainfo has no <release> for version {version} (has {releases})')
    elif releases[0] != version:
        problems.append(f'the newest <release> must come first, found {releases[0]} before {version}')

    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        linguas = [w for line in f if not line.startswith('#') for w in line.split()]
    translated = 0
    for lang in linguas:
        wanted = po_translation(os.path.join(po_dir, lang + '.po'), SUMMARY)
        if not wanted:
            continue
        translated += 1
        expect(f'desktop Comment[{lang}]', entry.get(f'Comment[{lang}]'), wanted)
        expect(f'metainfo summary xml:lang="{lang}"', summaries.get(lang), wanted)

    if problems:
        print('\n'.join(problems), file=sys.stderr)
        return 1
    print(f'{app_id}: desktop entry and metainfo agree; summary translated in {translated} of '
          f'{len(linguas)} languages and merged')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
