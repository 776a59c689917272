#!/bin/sh
# usage: missing-tool.sh TOOL — stands in for a validator that is not installed.
# Skips (exit 77) on a developer's machine; fails under tests/run-headless.sh, where every
# validator is expected (build-aux/ensure-deps --tests installs them).
echo "$1 is not installed: run build-aux/ensure-deps --tests" >&2
if [ "${AUDIENCE_PUSH_HEADLESS_TESTS:-}" = 1 ]; then
  exit 1
fi
exit 77
