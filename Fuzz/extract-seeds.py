#!/usr/bin/env python3
"""Copies seed inputs for the fuzzers out of the repository's own fixtures, at run time, so the
corpora follow the tests instead of being duplicated: every Swift multi-line string literal
(\"\"\" … \"\"\") in the given test files, with its indentation removed and each interpolation
\\(…) replaced by a plain word, goes to OUT as one file when it looks like KIND (xml or csv).
Approximate on purpose: a fuzzer only needs plausible starting points.

usage: extract-seeds.py xml|csv OUT FILE.swift…
"""
import hashlib
import os
import re
import sys

kind, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
os.makedirs(out, exist_ok=True)
literal = re.compile(r'"""[ \t]*\n(.*?)\n([ \t]*)"""', re.S)
count = 0
for path in files:
    text = open(path, encoding="utf-8").read()
    for match in literal.finditer(text):
        body, indent = match.group(1), match.group(2)
        lines = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in body.split("\n")]
        value = "\n".join(lines) + "\n"
        value = re.sub(r"\\\((?:[^()]|\([^()]*\))*\)", "x", value)  # interpolations
        value = value.replace('\\"', '"').replace("\\\\", "\\").replace("\\t", "\t").replace("\\r", "\r").replace("\\n", "\n")
        if kind == "xml" and "<" not in value:
            continue
        if kind == "csv" and ("," not in value or value.lstrip().startswith("<")):
            continue
        data = value.encode("utf-8")
        name = hashlib.sha1(data).hexdigest()[:16] + "." + kind
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        count += 1
print(f"extract-seeds: {count} {kind} seeds from {len(files)} files")
