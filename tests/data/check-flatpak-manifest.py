#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest the way flatpak-builder reads it.

  check-flatpak-manifest.py FLATPAK_BUILDER MANIFEST APP_ID COMMAND

Runs `flatpak-builder --show-manifest` (which parses and normalises the manifest without
needing a runtime), fails on a parse error or on any "Unknown property" warning (flatpak-builder
itself only warns about those), then checks what the manifest must say: the application id and
command, the GNOME runtime and SDK, a meson module that builds this checkout, and the small set
of permissions the application needs (and none that would defeat the sandbox).
"""

import json
import os
import subprocess
import sys

REQUIRED_FINISH_ARGS = {'--share=network', '--socket=wayland', '--socket=fallback-x11',
                        '--device=dri'}
FORBIDDEN_PREFIXES = ('--filesystem=home', '--filesystem=host', '--talk-name=org.freedesktop.secrets',
                      '--socket=session-bus', '--socket=system-bus', '--device=all')


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    builder, manifest_path, app_id, command = argv
    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))

    proc = subprocess.run([builder, '--show-manifest', manifest_path],
                          capture_output=True, text=True, timeout=60)
    problems = []
    if proc.returncode != 0:
        problems.append(f'flatpak-builder --show-manifest exited with {proc.returncode}: '
                        f'{proc.stderr.strip()}')
    for line in proc.stderr.splitlines():
        if 'Unknown property' in line or 'WARNING' in line:
            problems.append(f'flatpak-builder warns: {line.strip()}')
    if problems:
        print('\n'.join(problems), file=sys.stderr)
        return 1

    try:
        m = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        print(f'flatpak-builder printed something that is not JSON: {e}', file=sys.stderr)
        return 1

    def expect(what, got, wanted):
        if got != wanted:
            problems.append(f'{what} is {got!r}, expected {wanted!r}')

    expect('the application id', m.get('id', m.get('app-id')), app_id)
    expect('command', m.get('command'), command)
    expect('runtime', m.get('runtime'), 'org.gnome.Platform')
    expect('sdk', m.get('sdk'), 'org.gnome.Sdk')
    version = str(m.get('runtime-version', ''))
    if not version.isdigit() or int(version) < 43:
        problems.append(f'runtime-version {version!r} is not a GNOME release of 43 or later '
                        '(GTK 4.8 and libadwaita 1.2 need GNOME 43)')

    finish_args = m.get('finish-args', [])
    for arg in sorted(REQUIRED_FINISH_ARGS - set(finish_args)):
        problems.append(f'finish-args lacks {arg}')
    for arg in finish_args:
        if arg.startswith(FORBIDDEN_PREFIXES):
            problems.append(f'finish-args has {arg}, which the application does not need')

    modules = m.get('modules', [])
    app_module = modules[-1] if modules else {}
    if not isinstance(app_module, dict):
        problems.append('the last module (the application) must be inline, not a file name')
        app_module = {}
    expect('the application module buildsystem', app_module.get('buildsystem'), 'meson')
    opts = app_module.get('config-opts', [])
    is_devel = app_id.endswith('.Devel')
    if ('-Ddevelopment=true' in opts) != is_devel:
        problems.append('config-opts must have -Ddevelopment=true exactly when the id ends '
                        f'in .Devel (id {app_id!r}, config-opts {opts!r})')
    sources = app_module.get('sources', [])
    dirs = [s for s in sources if isinstance(s, dict) and s.get('type') == 'dir']
    if len(dirs) != 1:
        problems.append('the application module must have one "dir" source (this checkout)')
    else:
        src = os.path.normpath(os.path.join(manifest_dir, dirs[0].get('path', '')))
        meson_build = os.path.join(src, 'meson.build')
        try:
            with open(meson_build, encoding='utf-8') as f:
                if "project('audience-push'" not in f.read():
                    problems.append(f'{meson_build} is not the Audience Push project')
        except OSError:
            problems.append(f'the dir source {dirs[0].get("path")!r} has no meson.build')

    if problems:
        print('\n'.join(problems), file=sys.stderr)
        return 1
    print(f'{os.path.basename(manifest_path)}: id {app_id}, command {command}, '
          f'{m["runtime"]}//{version}: OK')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
