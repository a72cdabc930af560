#!/usr/bin/env python3
"""An independent check of a Bridges Open Badge (issue 14, item 5) with PyPI's openbadgeslib.

Usage: verify_badge_openbadgeslib.py BADGE.jwt ISSUER.jwk [STATUS-LIST.jwt [--revoked]]

Verifies the token with openbadgeslib's OB3 verifier given only the issuer's public key (the
published JWK, turned into PEM here), then checks that a copy with one changed claim, and one
signed by another key, are both rejected. With a status list (from `bridges issuer status-list`,
handed to the verifier in place of its download, so nothing goes over the network), also checks
revocation with the list's own signature verified: the badge must pass, or with --revoked must be
refused as revoked. Exit 0 when all of it holds, 1 otherwise.
.ci/run runs it through Tests/Interop/run.sh, in a venv with `pip install openbadgeslib`.
"""
import base64
import json
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from openbadgeslib.ob3 import OB3Verifier, OB3VerificationError


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pem_from_jwk(jwk: dict) -> bytes:
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise SystemExit("not a P-256 JWK")
    x = int.from_bytes(b64url_decode(jwk["x"]), "big")
    y = int.from_bytes(b64url_decode(jwk["y"]), "big")
    key = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def rejected(verifier: OB3Verifier, token: str) -> bool:
    try:
        verifier.verify(token)
    except OB3VerificationError:
        return True
    except Exception as error:  # any refusal counts; say which
        print(f"  (refused with {type(error).__name__}: {error})")
        return True
    return False


def main() -> int:
    if len(sys.argv) not in (3, 4, 5) or (len(sys.argv) == 5 and sys.argv[4] != "--revoked"):
        print(__doc__)
        return 64
    token = open(sys.argv[1], encoding="utf-8").read().strip()
    jwk = json.load(open(sys.argv[2], encoding="utf-8"))
    verifier = OB3Verifier(pubkey_pem=pem_from_jwk(jwk))
    ok = True

    status_list = open(sys.argv[3], "rb").read() if len(sys.argv) >= 4 else None
    expect_revoked = len(sys.argv) == 5

    credential = verifier.verify(token)
    print(f"accepted: {credential.id if hasattr(credential, 'id') else 'credential'}")

    if status_list is not None:
        def download(url: str) -> bytes:
            return status_list
        try:
            verifier.verify(token, check_status=True, verify_status_list=True, download=download)
            if expect_revoked:
                print("ACCEPTED a revoked badge")
                ok = False
            else:
                print("accepted: not revoked in the status list (its signature checked)")
        except OB3VerificationError as error:
            if expect_revoked and "revocation" in str(error):
                print(f"rejected as revoked: {error}")
            else:
                print(f"REJECTED by the status check: {error}")
                ok = False

    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["validUntil"] = "2099-12-31T23:59:59Z"
    tampered = header + "." + b64url_encode(json.dumps(claims).encode()) + "." + signature
    if rejected(verifier, tampered):
        print("rejected: a changed claim")
    else:
        print("ACCEPTED a changed claim")
        ok = False

    other = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    if rejected(OB3Verifier(pubkey_pem=other), token):
        print("rejected: another issuer's key")
    else:
        print("ACCEPTED another issuer's key")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
