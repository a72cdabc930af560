#!/usr/bin/env python3
"""Checks the shape of a Bridges Open Badge's credential against open-badge-credential.schema.json
(written from the Open Badges 3.0 specification), and that the JWT claims mirror the credential
(iss = issuer.id, jti = id, sub = credentialSubject.id, nbf/exp = validFrom/validUntil).

Usage: check_badge_schema.py BADGE.jwt...   Exit 0 when every badge conforms, 1 otherwise.
Needs `pip install jsonschema`; .ci/run runs it through Tests/Interop/run.sh.
"""
import base64
import json
import os
import sys
from datetime import datetime

import jsonschema


def payload_of(token: str) -> dict:
    part = token.strip().split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 64
    schema = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "open-badge-credential.schema.json")))
    validator = jsonschema.Draft202012Validator(schema)
    ok = True
    for path in sys.argv[1:]:
        claims = payload_of(open(path, encoding="utf-8").read())
        problems = [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}" for error in validator.iter_errors(claims)]
        if not problems:
            if claims["iss"] != claims["issuer"]["id"]: problems.append("iss is not issuer.id")
            if claims["jti"] != claims["id"]: problems.append("jti is not id")
            if claims["sub"] != claims["credentialSubject"].get("id"): problems.append("sub is not credentialSubject.id")
            if claims["nbf"] != epoch(claims["validFrom"]): problems.append("nbf is not validFrom")
            if ("exp" in claims) != ("validUntil" in claims) or ("exp" in claims and claims["exp"] != epoch(claims["validUntil"])):
                problems.append("exp does not match validUntil")
        for problem in problems:
            print(f"{path}: {problem}")
        ok = ok and not problems
        if not problems:
            print(f"{path}: conforms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
