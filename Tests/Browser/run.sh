#!/bin/sh
# The real-browser test of issue 12: a demo database, `bridges serve` on a free loopback port,
# and attendance.py driving Debian's Chromium through Playwright as an officer on a phone-sized
# window (online, then offline, then back). Then the two sessions are looked up with
# `bridges session show`, as the officer's coordinator would. Screenshots go to ARTIFACTS.
#
# Usage: Tests/Browser/run.sh [BRIDGES] [PYTHON] [ARTIFACTS]
#   BRIDGES defaults to .build/debug/bridges; PYTHON to python3 with playwright installed;
#   ARTIFACTS to .build/browser-artifacts. .ci/run runs it in a venv kept in .build/browser-venv.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
name=browser
python=${2:-python3}
artifacts=${3:-$root/.build/browser-artifacts}
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)
. "$root/Tests/demo-server.sh"
make_demo
password=$(sed -n 's/^  an officer: *dana, password //p' demo.out)
[ -n "$password" ] || { echo "browser: the demo printed no officer's password"; cat demo.out; exit 1; }
start_server

out=$("$python" "$here/attendance.py" "http://127.0.0.1:$port" dana "$password" "$artifacts")
echo "$out"
set -- $(echo "$out" | sed -n 's/^SESSIONS //p')
[ $# -eq 2 ] || { echo "browser: the page did not report two sessions"; exit 1; }

# Both are in the database, recorded by the signed-in officer, with the marks taken.
first=$("$bridges" session show "$1")
second=$("$bridges" session show "$2")
echo "$first" | grep -q "class:    0101-3A" && echo "$first" | grep -q "by dana" \
    && echo "$first" | grep -q "1 late, 1 absent" \
    || { echo "browser: session $1 is not what was taken:"; echo "$first"; exit 1; }
echo "$second" | grep -q "class:    0101-4B" && echo "$second" | grep -q "by dana" \
    && echo "$second" | grep -q "0 absent, 1 excused" \
    || { echo "browser: session $2 is not what was taken offline:"; echo "$second"; exit 1; }
grep -q "POST /api/v1/sessions 201" serve.log || { echo "browser: the server logged no session"; exit 1; }
echo "browser: sessions $1 (online) and $2 (taken offline, sent on reconnecting) are in bridges session show; screenshots in $artifacts"
