"""Verifies every token in a JSON-lines file with PyJWT (the library Mux's guide uses).

Each line: {"token": ..., "key": <public key PEM file>, "claims": <the claims the inputs ask
for, in order>}.
Prints "N passed, M failed" and exits non-zero on any failure.
"""
import json
import sys

import jwt

keys = {}
passed = failed = 0
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        case = json.loads(line)
        if case["key"] not in keys:
            with open(case["key"], encoding="utf-8") as pem:
                keys[case["key"]] = pem.read()
        try:
            claims = jwt.decode(
                case["token"],
                keys[case["key"]],
                algorithms=["RS256"],
                options={"verify_aud": False, "verify_exp": True},
            )
            # The expected claims are built from the inputs, not from the token; key order too.
            ok = claims == case["claims"] and list(claims) == list(case["claims"])
            if not ok:
                print(f"claims differ: {claims} != {case['claims']}", file=sys.stderr)
        except jwt.PyJWTError as error:
            print(f"rejected: {error}: {case['token'][:60]}…", file=sys.stderr)
            ok = False
        if ok:
            passed += 1
        else:
            failed += 1
print(f"pyjwt: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
