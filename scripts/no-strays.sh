#!/usr/bin/env bash
# Runs a command in a process group of its own and ends whatever it leaves behind, so that a
# browser a test runner started (wasm-bindgen-test-runner's chromedriver and Chromium, left
# running when WebDriver times out) never outlives the run. Exits with the command's status.
set -uo pipefail
setsid "$@" &
pid=$!
trap 'kill -TERM -- "-$pid" 2>/dev/null' INT TERM
wait "$pid"
status=$?
if kill -0 -- "-$pid" 2>/dev/null; then
  echo "no-strays: ending what '$1' left running" >&2
  kill -KILL -- "-$pid" 2>/dev/null
fi
exit "$status"
