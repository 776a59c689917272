#!/bin/sh
# usage: tests/run-headless.sh COMMAND [ARGS…]
# Runs COMMAND inside a private D-Bus session with a real, unlocked gnome-keyring and an Xvfb
# display, with throwaway HOME and XDG directories. Nothing of the user's session is touched.
set -eu
tmp=$(mktemp -d "${TMPDIR:-/tmp}/audience-push-tests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
export AUDIENCE_PUSH_HEADLESS_TESTS=1
rc=0
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" sh -c '
  printf "%s" audience-push-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  gdbus wait --session --timeout 10 org.freedesktop.secrets
  "$@"' sh "$@" 2> "$tmp/session.err" || rc=$?
# dbus-daemon and xvfb-run chatter is noise; show it only when something failed.
if [ "$rc" -ne 0 ]; then grep -v "Failed to set fd limit\|Activating service\|Successfully activated" "$tmp/session.err" >&2 || true; fi
exit $rc
