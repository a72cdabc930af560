#!/usr/bin/env python3
"""Benchmark: lesson validate and load beside xmllint, on the same generated files, in one run.

Generates a program of N lesson files of about 20 KB each (default 5,000), then times
  xmllint --noout --schema Curricula/lesson-plan.xsd  (the C reference: parse + XSD only)
  bridges lesson validate                              (parse + XSD + every rule, both cores)
  bridges lesson load  (fresh database each run)       (validate + store every version)
and prints wall time, files/s, peak memory and the ratios to xmllint. Targets from the issue:
validate no slower than xmllint, load at most 1.5 times it. Figures only: nothing is asserted,
because a shared machine is noisy; read the ratios.

Usage: python3 Benchmarks/lesson_plans.py [--files 5000] [--runs 3] [--no-build]
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import benchkit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XSD = os.path.join(ROOT, "Curricula", "lesson-plan.xsd")
NS = "urn:bridges:lesson-plan:1"
WORDS = ("check the scene call for help apply firm pressure stay calm listen carefully speak up "
         "trusted adult safe place breathe slowly name the feeling ask for options agree together").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def lesson_xml(rng, index, target_bytes=20_000):
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<lesson xmlns="{NS}" id="bench-{index:05d}" program="bench" version="1">',
             f"  <title>Benchmark lesson {index}</title>",
             f"  <summary>{sentence(rng, 30)}</summary>",
             "  <minutes>240</minutes>", "  <objectives>"]
    for o in range(4):
        parts.append(f'    <objective id="o{o}">{sentence(rng, 12)}</objective>')
    parts += ["  </objectives>", "  <materials>"]
    for m in range(5):
        parts.append(f"    <material>{sentence(rng, 5)}</material>")
    parts += ["  </materials>", "  <activities>"]
    a = 0
    body = "\n".join(parts)
    activities = []
    while len(body) + sum(map(len, activities)) < target_bytes - 2500:
        steps = "\n".join(f"      <step>{sentence(rng, 18)}</step>" for _ in range(5))
        activities.append(f'    <activity id="a{a}" kind="practice" minutes="5">\n      <title>{sentence(rng, 4)}</title>\n{steps}\n    </activity>')
        a += 1
    parts += activities + ["  </activities>", f"  <safety-note>{sentence(rng, 20)}</safety-note>", '  <quiz passPercent="70">']
    for q in range(4):
        parts.append(f'    <question id="q{q}" type="single" objective="o{q}"><prompt>{sentence(rng, 10)}</prompt>'
                     f'<choice id="a" correct="true">{sentence(rng, 4)}</choice><choice id="b">{sentence(rng, 4)}</choice>'
                     f"<explanation>{sentence(rng, 10)}</explanation></question>")
    parts += ['    <question id="q9" type="short"><prompt>Who do you tell?</prompt><answer>a trusted adult</answer></question>',
              "  </quiz>", "</lesson>\n"]
    return "\n".join(parts)


def generate(folder, count, seed=7):
    rng = random.Random(seed)
    program = folder
    os.makedirs(program)
    refs = "\n".join(f'    <lesson ref="bench-{i:05d}"/>' for i in range(count))
    with open(os.path.join(program, "program.xml"), "w") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<program xmlns="{NS}" id="bench" version="1">\n'
                f"  <title>Benchmark program</title>\n  <grades min=\"6\" max=\"8\"/>\n  <lessons>\n{refs}\n  </lessons>\n"
                f'  <certificate title="Benchmark" attendance="all" quizzes="pass-all"/>\n</program>\n')
    total = 0
    for i in range(count):
        text = lesson_xml(rng, i)
        total += len(text.encode())
        with open(os.path.join(program, f"bench-{i:05d}.xml"), "w") as f:
            f.write(text)
    return total


def measure(argv, env=None):
    """Wall seconds and peak MiB of one process (see benchkit.run)."""
    r = benchkit.run(argv, env=env)
    return r.seconds, r.peak_mib


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()

    if shutil.which("xmllint") is None:
        sys.exit("benchmark: xmllint is missing (apt-get install libxml2-utils)")
    if not args.no_build:
        subprocess.run(benchkit.RELEASE_BUILD, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    bridges = os.path.join(ROOT, ".build", "release", "bridges")

    work = tempfile.mkdtemp(prefix="bridges-bench-")
    try:
        program = os.path.join(work, "bench")
        size = generate(program, args.files)
        files = sorted(os.path.join(program, f) for f in os.listdir(program))
        print(f"{len(files)} files, {size / len(files) / 1024:.1f} KB per lesson on average, {size / 1e6:.0f} MB in all; "
              f"{os.cpu_count()} cores; median of {args.runs} runs\n")

        rows = {}
        for name, make in [
            ("xmllint --schema", lambda i: ["xmllint", "--noout", "--schema", XSD, *files]),
            ("bridges lesson validate", lambda i: [bridges, "lesson", "validate", program]),
            ("bridges lesson load", lambda i: [bridges, "lesson", "load", "--db", os.path.join(work, f"load-{name_slug(i)}.sqlite"), "--actor", "bench", program]),
        ]:
            times, peaks = [], []
            for run in range(args.runs):
                seconds, peak = measure(make(run))
                times.append(seconds)
                peaks.append(peak)
            rows[name] = (statistics.median(times), max(peaks))

        reference = rows["xmllint --schema"][0]
        print(f"{'command':<26}{'seconds':>9}{'files/s':>10}{'peak MiB':>10}{'× xmllint':>11}  target")
        targets = {"bridges lesson validate": 1.0, "bridges lesson load": 1.5}
        for name, (seconds, peak) in rows.items():
            ratio = seconds / reference
            target = targets.get(name)
            verdict = "" if target is None else (f"≤ {target:.1f}  {'met' if ratio <= target else 'MISSED'}")
            print(f"{name:<26}{seconds:>9.2f}{len(files) / seconds:>10.0f}{peak:>10.0f}{ratio:>11.2f}  {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def name_slug(i):
    return f"{i}-{time.monotonic_ns()}"


if __name__ == "__main__":
    main()
