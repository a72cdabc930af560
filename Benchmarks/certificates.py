#!/usr/bin/env python3
"""Benchmark: certificate issue over 100,000 students, beside an attendance export of the same database.

Setup (not measured): `bridges lesson load Curricula` makes and migrates base.sqlite; then plain SQL
(Python's sqlite3, one transaction) adds 40 schools, 4,000 classes of 25 (100,000 students), their
enrolments, one officer, and for every class one session of each of the five lessons of
personal-safety (whose certificate needs attendance only, quizzes="none"): 20,000 sessions, 500,000
marks. About 96% of the students were present or late at all five; the rest missed one. One class
in a hundred had a session voided and taught again another day (a make-up), so the voided filter
and make-ups are part of the work.

Measured, each on a fresh copy of base.sqlite:
  bridges certificate issue --program personal-safety --as-of DATE
      (the rule for every student, a certificate code and row for each eligible one, audit)
  bridges export attendance --out FILE  when that command exists (`bridges export --help`), else
  sqlite3 -csv of the attendance report's join (the C reference for reading every mark once)
and prints seconds, peak memory and the ratio. Target: issue at most 1.5 times the export.
Figures only: nothing is asserted, because a shared machine is noisy; read the ratio.

Usage: python3 Benchmarks/certificates.py [--students 100000] [--runs 3] [--no-build] [--bridges PATH]
"""
import argparse
import datetime
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import benchkit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLASS_SIZE = 25
SCHOOLS = 40
PROGRAM = "personal-safety"
AS_OF = "2026-06-30"
GIVEN = ["Ana", "Ben", "Chloé", "Dmitri", "Élodie", "Farah", "محمد", "فاطمة", "王芳", "李伟", "Алексей", "Мария",
         "अनीता", "राहुल", "Søren", "Zoë", "Nguyễn", "Oluwaseun", "Siobhán", "José"]
FAMILY = ["García", "Ng", "O'Neil", "Smith-Jones", "王", "李", "Иванов", "Петрова", "शर्मा", "पटेल", "عبدالله", "Øster",
          "Müller", "Núñez", "Kowalski", "Okafor", "Tanaka", "Dubois", "Andersson", "Quispe"]
OFFICER = ("off-001", "Officer Dana Reyes")
FIRST_DAY = datetime.date(2025, 9, 1)

# The attendance report's query (Sources/BridgesStore/ReportStore.swift), for the sqlite3 reference.
ATTENDANCE_SQL = """
SELECT s.id AS session_id, s.date AS session_date, l.programId AS program_id, s.lessonId AS lesson_id,
       s.lessonVersion AS lesson_version, v.title AS lesson_title, c.schoolId AS school_id, s.classId AS class_id,
       s.officerId AS officer_id, o.name AS officer_name, s.minutes, m.studentId AS student_id,
       st.familyName AS family_name, st.givenName AS given_name, st.grade, m.status,
       s.recordedAt AS recorded_at, s.recordedBy AS recorded_by
FROM session s
JOIN lesson l ON l.id = s.lessonId
JOIN lessonVersion v ON v.lessonId = s.lessonId AND v.version = s.lessonVersion
JOIN schoolClass c ON c.id = s.classId
JOIN officer o ON o.id = s.officerId
JOIN mark m ON m.sessionId = s.id
JOIN student st ON st.id = m.studentId
WHERE s.voidedAt IS NULL
ORDER BY s.date, s.id, m.studentId;
"""


def measure(argv, stdout=None):
    """Wall seconds and peak MiB of one process (see benchkit.run)."""
    r = benchkit.run(argv, stdout=stdout)
    return r.seconds, r.peak_mib


def build_base(bridges, work, students):
    """base.sqlite: the shipped lessons (through bridges), then roster, officer, sessions and marks (plain SQL)."""
    base = os.path.join(work, "base.sqlite")
    measure([bridges, "lesson", "load", os.path.join(ROOT, "Curricula"), "--db", base, "--actor", "bench"])
    rng = random.Random(13)
    classes = students // CLASS_SIZE
    per_school = max(classes // SCHOOLS, 1)
    db = sqlite3.connect(base)
    lessons = db.execute("""
        SELECT l.id, l.latestVersion, v.minutes FROM lesson l JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion
        WHERE l.programId = ? ORDER BY l.id""", (PROGRAM,)).fetchall()
    counts = {"sessions": 0, "marks": 0, "voided": 0}
    with db:
        db.executemany("INSERT INTO school (id, name) VALUES (?, ?)", [(f"{s:04d}", f"School {s:04d}") for s in range(SCHOOLS)])
        class_ids = [f"{min(c // per_school, SCHOOLS - 1):04d}-{c:05d}" for c in range(classes)]
        db.executemany("INSERT INTO schoolClass (id, schoolId, name) VALUES (?, ?, ?)",
                       [(cid, cid[:4], f"Class {c:05d}") for c, cid in enumerate(class_ids)])
        db.executemany("INSERT INTO student (id, givenName, familyName, grade) VALUES (?, ?, ?, ?)",
                       [(f"{s:07d}", rng.choice(GIVEN), rng.choice(FAMILY), (s // CLASS_SIZE) % 6) for s in range(students)])
        db.executemany("INSERT INTO enrollment (classId, studentId) VALUES (?, ?)",
                       [(class_ids[s // CLASS_SIZE], f"{s:07d}") for s in range(students)])
        db.execute("INSERT INTO officer (id, name, agency) VALUES (?, ?, ?)", (*OFFICER, "Bench County Sheriff"))
        session_id = 0
        marks = []
        for c, cid in enumerate(class_ids):
            # Each student misses one of the five lessons with a chance of 1 in 120 per lesson (about 4% miss one).
            for k, (lesson_id, version, minutes) in enumerate(lessons):
                date = (FIRST_DAY + datetime.timedelta(days=14 * k + c % 10)).isoformat()
                voided = c % 100 == 7 and k == 2
                rows = []
                session_id += 1
                db.execute("""INSERT INTO session (id, classId, lessonId, lessonVersion, officerId, date, minutes, recordedAt, recordedBy,
                                                   voidedAt, voidedBy, voidReason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?, ?)""",
                           (session_id, cid, lesson_id, version, OFFICER[0], date, minutes, f"{date}T15:00:00Z",
                            f"{date}T16:00:00Z" if voided else None, "bench" if voided else None, "wrong class" if voided else None))
                counts["sessions"] += 1
                for s in range(c * CLASS_SIZE, (c + 1) * CLASS_SIZE):
                    roll = rng.random()
                    status = "absent" if roll < 1 / 120 else "excused" if roll < 1 / 100 else "late" if roll < 0.08 else "present"
                    rows.append((session_id, f"{s:07d}", status))
                marks += rows
                if voided:
                    # The make-up: taught again a week later, everyone present.
                    counts["voided"] += 1
                    session_id += 1
                    makeup = (FIRST_DAY + datetime.timedelta(days=14 * k + c % 10 + 7)).isoformat()
                    db.execute("""INSERT INTO session (id, classId, lessonId, lessonVersion, officerId, date, minutes, recordedAt, recordedBy)
                                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench')""",
                               (session_id, cid, lesson_id, version, OFFICER[0], makeup, minutes, f"{makeup}T15:00:00Z"))
                    counts["sessions"] += 1
                    marks += [(session_id, f"{s:07d}", "present") for s in range(c * CLASS_SIZE, (c + 1) * CLASS_SIZE)]
            if len(marks) > 100_000:
                db.executemany("INSERT INTO mark (sessionId, studentId, status) VALUES (?, ?, ?)", marks)
                counts["marks"] += len(marks)
                marks = []
        db.executemany("INSERT INTO mark (sessionId, studentId, status) VALUES (?, ?, ?)", marks)
        counts["marks"] += len(marks)
    eligible = db.execute("""
        SELECT count(*) FROM (SELECT m.studentId FROM mark m JOIN session s ON s.id = m.sessionId
        WHERE s.voidedAt IS NULL AND m.status IN ('present', 'late') GROUP BY m.studentId HAVING count(DISTINCT s.lessonId) = ?)""",
                          (len(lessons),)).fetchone()[0]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return base, counts, eligible, len(lessons)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--bridges", help="the bridges binary to measure (default: the release build)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (for profiling)")
    args = parser.parse_args()

    if shutil.which("sqlite3") is None:
        sys.exit("benchmark: the sqlite3 shell is missing (apt-get install sqlite3)")
    if not args.no_build and not args.bridges:
        subprocess.run(benchkit.RELEASE_BUILD, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bridges = args.bridges or os.path.join(ROOT, ".build", "release", "bridges")

    work = tempfile.mkdtemp(prefix="bridges-bench-certificates-")
    try:
        started = time.perf_counter()
        base, counts, eligible, lesson_count = build_base(bridges, work, args.students)
        print(f"setup {time.perf_counter() - started:.1f} s: {args.students:,} students in {args.students // CLASS_SIZE:,} classes; "
              f"{PROGRAM}, {lesson_count} required lessons, no quizzes; {counts['sessions']:,} sessions ({counts['voided']} voided, "
              f"each made up), {counts['marks']:,} marks; {eligible:,} students eligible; {os.cpu_count()} cores; median of {args.runs} runs\n")

        with tempfile.TemporaryFile() as help_errors:
            has_export = subprocess.run([bridges, "export", "--help"], stdout=subprocess.PIPE, stderr=help_errors).returncode == 0
        reference_name = "bridges export attendance" if has_export else "sqlite3 -csv attendance join"

        results = {}
        times, peaks = [], []
        out = os.path.join(work, "attendance.csv")
        for run in range(args.runs):
            if has_export:
                seconds, peak = measure([bridges, "export", "attendance", "--db", base, "--out", out, "--force"])
            else:
                with open(out, "wb") as sink:
                    seconds, peak = measure(["sqlite3", "-csv", "-header", base, ATTENDANCE_SQL], stdout=sink)
            times.append(seconds)
            peaks.append(peak)
        rows = sum(1 for _ in open(out, "rb")) - 1
        results[reference_name] = (statistics.median(times), max(peaks))

        times, peaks = [], []
        issued_line = ""
        for run in range(args.runs):
            target = os.path.join(work, f"issue-{run}.sqlite")
            shutil.copyfile(base, target)
            report = os.path.join(work, "issue.out")
            with open(report, "wb") as sink:
                seconds, peak = measure([bridges, "certificate", "issue", "--program", PROGRAM, "--as-of", AS_OF,
                                         "--db", target, "--actor", "bench"], stdout=sink)
            issued_line = open(report, encoding="utf-8").read().strip()
            check = sqlite3.connect(target)
            stored = check.execute("SELECT count(*) FROM certificate").fetchone()[0]
            check.close()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(target + suffix):
                    os.remove(target + suffix)
            times.append(seconds)
            peaks.append(peak)
        results["bridges certificate issue"] = (statistics.median(times), max(peaks))

        print(f"{reference_name}: {rows:,} rows; certificate issue said \"{issued_line}\" and stored {stored:,} "
              f"(expected {eligible:,})")
        reference = results[reference_name][0]
        print(f"{'command':<30}{'seconds':>9}{'peak MiB':>10}{'× reference':>13}  target")
        for name, (seconds, peak) in results.items():
            ratio = seconds / reference
            verdict = f"≤ 1.5  {'met' if ratio <= 1.5 else 'MISSED'}" if name == "bridges certificate issue" else ""
            print(f"{name:<30}{seconds:>9.2f}{peak:>10.0f}{ratio:>13.2f}  {verdict}")
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
