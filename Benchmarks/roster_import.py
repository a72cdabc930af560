#!/usr/bin/env python3
"""Benchmark: roster import beside the sqlite3 shell's CSV import, on the same file, in one run.

Generates a plain roster CSV of N students (default 100,000: 40 schools, 4,000 classes of 25,
names in several scripts, ids with leading zeros), then times
  sqlite3 fresh.db ".import --csv roster.csv roster"   (the C reference: one flat table, no checks)
  bridges roster import  (fresh database each run)      (every check, four tables, audit, one transaction)
  bridges roster import  (again, same file, no changes) (every row compared with the stored one)
and prints wall time, CPU time, rows/s, peak memory and the ratios to sqlite3 (the CPU ratio is the
steadier one on a shared machine). Target from the issue: a fresh
import at most 4 times the sqlite3 shell. Figures only: nothing is asserted, because a shared
machine is noisy; read the ratios.

Usage: python3 Benchmarks/roster_import.py [--students 100000] [--runs 3] [--no-build]
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import benchkit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GIVEN = ["Ana", "Ben", "Chloé", "Dmitri", "Élodie", "Farah", "محمد", "فاطمة", "王芳", "李伟", "Алексей", "Мария",
         "अनीता", "राहुल", "Søren", "Zoë", "Nguyễn", "Oluwaseun", "Siobhán", "José"]
FAMILY = ["García", "Ng", "O'Neil", "Smith-Jones", "王", "李", "Иванов", "Петрова", "शर्मा", "पटेल", "عبدالله", "Øster",
          "Müller", "Núñez", "Kowalski", "Okafor", "Tanaka", "Dubois", "Andersson", "Quispe"]


def generate(path, students, schools=40, class_size=25, seed=11):
    rng = random.Random(seed)
    classes = students // class_size
    per_school = max(classes // schools, 1)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\r\n")
        for s in range(students):
            c = s // class_size
            school = min(c // per_school, schools - 1)
            grade = "K" if c % 13 == 0 else str(c % 13)
            family = rng.choice(FAMILY)
            family = f'"{family}"' if "'" in family else family
            f.write(f"{school:04d},School {school:04d},{school:04d}-{c:05d},Class {c:05d},{s:07d},"
                    f"{rng.choice(GIVEN)},{family},{grade}\r\n")
    return classes


def measure(argv, cwd=None):
    """Wall seconds, CPU seconds and peak MiB of one process (see benchkit.run)."""
    return tuple(benchkit.run(argv, cwd=cwd))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()

    if shutil.which("sqlite3") is None:
        sys.exit("benchmark: sqlite3 is missing (apt-get install sqlite3)")
    if not args.no_build:
        subprocess.run(benchkit.RELEASE_BUILD, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    bridges = os.path.join(ROOT, ".build", "release", "bridges")

    work = tempfile.mkdtemp(prefix="bridges-bench-")
    try:
        roster = os.path.join(work, "roster.csv")
        classes = generate(roster, args.students)
        size = os.path.getsize(roster)
        print(f"{args.students:,} students in {classes:,} classes at 40 schools, {size / 1e6:.1f} MB; "
              f"{os.cpu_count()} cores; median of {args.runs} runs\n")

        counter = iter(range(1_000_000))

        def fresh(name):
            return os.path.join(work, f"{name}-{next(counter)}.sqlite")

        # One database imported once, for the re-imports of the same file.
        again_db = fresh("again")
        measure([bridges, "roster", "import", "--db", again_db, "--actor", "bench", roster])

        rows = {}
        for name, make in [
            ("sqlite3 .import --csv", lambda: ["sqlite3", fresh("shell"), ".import --csv " + roster + " roster"]),
            ("bridges roster import", lambda: [bridges, "roster", "import", "--db", fresh("import"), "--actor", "bench", roster]),
            ("  again, no changes", lambda: [bridges, "roster", "import", "--db", again_db, "--actor", "bench", roster]),
        ]:
            times, cpus, peaks = [], [], []
            for _ in range(args.runs):
                seconds, cpu, peak = measure(make())
                times.append(seconds)
                cpus.append(cpu)
                peaks.append(peak)
            rows[name] = (statistics.median(times), statistics.median(cpus), max(peaks))

        reference, reference_cpu, _ = rows["sqlite3 .import --csv"]
        print(f"{'command':<24}{'seconds':>9}{'CPU s':>8}{'rows/s':>11}{'peak MiB':>10}{'× sqlite3':>11}{'CPU ×':>8}  target")
        targets = {"bridges roster import": 4.0}
        for name, (seconds, cpu, peak) in rows.items():
            ratio = seconds / reference
            target = targets.get(name)
            verdict = "" if target is None else f"≤ {target:.1f}  {'met' if ratio <= target else 'MISSED'}"
            print(f"{name:<24}{seconds:>9.2f}{cpu:>8.2f}{args.students / seconds:>11,.0f}{peak:>10.0f}{ratio:>11.2f}"
                  f"{cpu / reference_cpu:>8.2f}  {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
