#!/usr/bin/env python3
"""Benchmark: what the disclosure log costs an export of about 1,000,000 marks.

Every `bridges export` now records who, when, what, why and every student the report named
(one `disclosedStudent` row per student per export), in the transaction that publishes the
file; `--out -` is written to a private file first and copied to standard output once recorded.
This runs the attendance export of export.py's district (25,000 students, 1,000,000 marks) with
this build and with a build from before the log (`--baseline PATH`, e.g. a release binary of
the commit before issue 15), each on a database it built itself from the same seed, and prints
median wall and CPU time, peak memory and the ratio. Then, after the runs, it times
`disclosure list --student` and says how much the log grew per export. Figures only: nothing is
asserted (a shared machine is noisy).

Usage: python3 Benchmarks/disclosure.py --baseline /path/to/old/bridges [--bridges PATH] [--marks 1000000] [--runs 5] [--no-build]
"""
import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

import benchkit
import export

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", help="a bridges binary without the disclosure log")
    parser.add_argument("--marks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--bridges", help="the build with the log to measure (default: .build/release/bridges, built first)")
    args = parser.parse_args()
    if args.bridges:
        bridges = os.path.abspath(args.bridges)
    else:
        if not args.no_build:
            subprocess.run(benchkit.RELEASE_BUILD, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        bridges = os.path.join(ROOT, ".build", "release", "bridges")
    binaries = [("with the log", bridges)]
    if args.baseline:
        binaries.insert(0, ("before the log", os.path.abspath(args.baseline)))

    work = tempfile.mkdtemp(prefix="bridges-disclosure-bench-")
    try:
        databases = {}
        for label, binary in binaries:
            path = os.path.join(work, label.replace(" ", "-") + ".sqlite")
            total, counted = export.build_database(binary, path, args.marks)
            databases[label] = path
        students = sqlite3.connect(databases["with the log"]).execute("SELECT count(*) FROM student").fetchone()[0]
        print(f"{counted:,} rows to export ({students:,} students); {os.cpu_count()} cores; median of {args.runs} runs\n")

        results = {}
        out = os.path.join(work, "out.csv")
        for _ in range(args.runs):
            for label, binary in binaries:
                db = databases[label]
                purpose = ["--purpose", "benchmark"] if label == "with the log" else []
                file_argv = [binary, "export", "attendance", "--db", db, "--out", out, "--force"] + purpose
                stdout_argv = [binary, "export", "attendance", "--db", db, "--out", "-"] + purpose
                results.setdefault((label, "--out FILE"), []).append(benchkit.run(file_argv))
                results.setdefault((label, "--out -"), []).append(benchkit.run(stdout_argv, stdout=os.path.join(work, "stdout.csv")))

        print(f"{'build':<16}{'destination':<13}{'seconds':>9}{'best':>7}{'cpu s':>7}{'peak MiB':>10}{'× before':>10}{'cpu ×':>7}")
        for destination in ["--out FILE", "--out -"]:
            base = results.get(("before the log", destination))
            for label, _ in binaries:
                runs = results[(label, destination)]
                wall = statistics.median(r.seconds for r in runs)
                cpu = statistics.median(r.cpu for r in runs)
                ratio = f"{wall / statistics.median(r.seconds for r in base):>10.3f}" if base else f"{'':>10}"
                cpu_ratio = f"{cpu / statistics.median(r.cpu for r in base):>7.3f}" if base else f"{'':>7}"
                print(f"{label:<16}{destination:<13}{wall:>9.2f}{min(r.seconds for r in runs):>7.2f}{cpu:>7.2f}"
                      f"{max(r.peak_mib for r in runs):>10.1f}{ratio}{cpu_ratio}")

        db = databases["with the log"]
        con = sqlite3.connect(db)
        disclosures = con.execute("SELECT count(*) FROM disclosure").fetchone()[0]
        rows = con.execute("SELECT count(*) FROM disclosedStudent").fetchone()[0]
        try:
            size = con.execute("SELECT sum(pgsize) FROM dbstat WHERE name IN ('disclosedStudent', 'disclosure', 'disclosure_at')").fetchone()[0]
        except sqlite3.OperationalError:
            size = None
        con.close()
        print(f"\nthe log: {disclosures} disclosures, {rows:,} disclosedStudent rows ({rows // max(disclosures, 1):,} per export)"
              + (f", {size / 1e6:.1f} MB ({size / max(disclosures, 1) / 1e6:.2f} MB per export)" if size else ""))
        some = sqlite3.connect(db).execute("SELECT id FROM student ORDER BY id LIMIT 1 OFFSET 12345").fetchone()[0]
        runs = [benchkit.run([bridges, "disclosure", "list", "--db", db, "--student", some]) for _ in range(args.runs)]
        print(f"disclosure list --student {some}: {statistics.median(r.seconds for r in runs):.3f} s (median), "
              f"all {disclosures} disclosures found")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
