#!/bin/sh
# The independent checks of issue 14, item 5, end to end: a demo database, an issuer, badges,
# one revoked, the status list; then openbadgeslib verifies with only the public key and the
# list (a valid badge passes, a tampered one, another key's and a revoked one are refused) and
# the JSON schema written from the Open Badges 3.0 specification checks each credential's shape.
#
# Usage: Tests/Interop/run.sh [BRIDGES] [PYTHON]
#   BRIDGES defaults to .build/debug/bridges; PYTHON to python3, with openbadgeslib and
#   jsonschema installed (python3 -m venv V && V/bin/pip install openbadgeslib jsonschema).
# .ci/run runs it after the tests, in a venv it keeps in .build/interop-venv.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
name=interop
python=${2:-python3}
. "$root/Tests/demo-server.sh"
make_demo
"$bridges" issuer init --name "Riverside Unified School District" --url https://riverside.example.org >/dev/null
"$bridges" certificate badge --program first-aid --folder badges >/dev/null
set -- badges/*.jwt
valid=$1 revoked=$2
code=$(basename "$revoked" .jwt | sed 's/^badge-//')
"$bridges" certificate revoke "$code" --reason "interop check" >/dev/null
"$bridges" issuer status-list --out status.jwt 2>/dev/null
"$python" "$here/verify_badge_openbadgeslib.py" "$valid" bridges.issuer.jwk status.jwt
"$python" "$here/verify_badge_openbadgeslib.py" "$revoked" bridges.issuer.jwk status.jwt --revoked
"$python" "$here/check_badge_schema.py" badges/*.jwt >schema.txt || { cat schema.txt; exit 1; }
tail -n 2 schema.txt
echo "interop checks passed"
