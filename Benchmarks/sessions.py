#!/usr/bin/env python3
"""Benchmark: session import and session log, beside the sqlite3 shell, in one run.

Setup (not measured): `bridges lesson load Curricula` makes and migrates base.sqlite; then plain SQL
(Python's sqlite3, one transaction) adds 40 schools, 1,600 classes of 25, 40,000 students, their
enrolments and one officer. An attendance CSV is written with the columns of the attendance report
(session_id, session_date, program_id, lesson_id, lesson_version, lesson_title, school_id, class_id,
officer_id, officer_name, minutes, student_id, family_name, given_name, grade, status, recorded_at,
recorded_by): 40,000 sessions × 25 students = 1,000,000 rows, over the real lessons of Curricula/.

Measured:
  a. sqlite3 fresh.db ".import --csv marks.csv marks"  (the C reference: one flat table, no checks)
     bridges session import marks.csv  (a fresh copy of base.sqlite each run: every check, sessions,
                                        marks, audit, one transaction)
     seconds, rows/s, peak memory, ratio. Target: at most 2.5 times sqlite3, under 500 MB.
  b. bridges session log, start to exit, on the database the import filled (1,000,000 marks): a new
     session for a class of 25 each run (different dates), beside `sqlite3 db "SELECT 1"` start to
     exit for scale. Target: under 100 ms.
Figures only: nothing is asserted, because a shared machine is noisy; read the ratios.

Usage: python3 Benchmarks/sessions.py [--sessions 40000] [--runs 3] [--log-runs 20] [--no-build] [--bridges PATH]
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
GIVEN = ["Ana", "Ben", "Chloé", "Dmitri", "Élodie", "Farah", "محمد", "فاطمة", "王芳", "李伟", "Алексей", "Мария",
         "अनीता", "राहुल", "Søren", "Zoë", "Nguyễn", "Oluwaseun", "Siobhán", "José"]
FAMILY = ["García", "Ng", "O'Neil", "Smith-Jones", "王", "李", "Иванов", "Петрова", "शर्मा", "पटेल", "عبدالله", "Øster",
          "Müller", "Núñez", "Kowalski", "Okafor", "Tanaka", "Dubois", "Andersson", "Quispe"]
OFFICER = ("off-001", "Officer Dana Reyes")
STATUSES = ["present"] * 17 + ["late"] * 3 + ["absent"] * 3 + ["excused"] * 2
FIRST_DAY = datetime.date(2025, 9, 1)


def measure(argv, stdout=None):
    """Wall seconds and peak MiB of one process (see benchkit.run)."""
    r = benchkit.run(argv, stdout=stdout)
    return r.seconds, r.peak_mib


def csv_field(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def build_base(bridges, work, students):
    """base.sqlite: the shipped lessons (through bridges), then a roster and an officer (plain SQL)."""
    base = os.path.join(work, "base.sqlite")
    measure([bridges, "lesson", "load", os.path.join(ROOT, "Curricula"), "--db", base, "--actor", "bench"])
    rng = random.Random(11)
    classes = students // CLASS_SIZE
    per_school = max(classes // SCHOOLS, 1)
    db = sqlite3.connect(base)
    with db:
        db.executemany("INSERT INTO school (id, name) VALUES (?, ?)", [(f"{s:04d}", f"School {s:04d}") for s in range(SCHOOLS)])
        db.executemany("INSERT INTO schoolClass (id, schoolId, name) VALUES (?, ?, ?)",
                       [(f"{min(c // per_school, SCHOOLS - 1):04d}-{c:05d}", f"{min(c // per_school, SCHOOLS - 1):04d}", f"Class {c:05d}")
                        for c in range(classes)])
        roster = []
        for s in range(students):
            c = s // CLASS_SIZE
            roster.append((f"{s:07d}", rng.choice(GIVEN), rng.choice(FAMILY), c % 13, f"{min(c // per_school, SCHOOLS - 1):04d}-{c:05d}"))
        db.executemany("INSERT INTO student (id, givenName, familyName, grade) VALUES (?, ?, ?, ?)", [r[:4] for r in roster])
        db.executemany("INSERT INTO enrollment (classId, studentId) VALUES (?, ?)", [(r[4], r[0]) for r in roster])
        db.execute("INSERT INTO officer (id, name, agency) VALUES (?, ?, ?)", (*OFFICER, "Bench County Sheriff"))
    lessons = db.execute("""
        SELECT l.id, l.programId, v.version, v.title, v.minutes FROM lesson l
        JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion ORDER BY l.id""").fetchall()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return base, roster, lessons


def write_attendance(path, roster, lessons, sessions):
    """The attendance report's columns, one row per student per session, CRLF, as the export writes it."""
    rng = random.Random(5)
    classes = len(roster) // CLASS_SIZE
    per_class = -(-sessions // classes)
    session_id = 0
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("session_id,session_date,program_id,lesson_id,lesson_version,lesson_title,school_id,class_id,officer_id,"
                "officer_name,minutes,student_id,family_name,given_name,grade,status,recorded_at,recorded_by\r\n")
        officer = f"{OFFICER[0]},{csv_field(OFFICER[1])}"
        for k in range(per_class):
            for c in range(classes):
                if session_id == sessions:
                    break
                session_id += 1
                lesson_id, program_id, version, title, minutes = lessons[(c + k) % len(lessons)]
                date = (FIRST_DAY + datetime.timedelta(days=7 * k + c % 5)).isoformat()
                class_id = roster[c * CLASS_SIZE][4]
                school_id = class_id[:4]
                recorded_at = f"{date}T15:{c % 60:02d}:00Z"
                head = f"{session_id},{date},{program_id},{lesson_id},{version},{csv_field(title)},{school_id},{class_id},{officer},{minutes},"
                lines = []
                for s in range(c * CLASS_SIZE, (c + 1) * CLASS_SIZE):
                    student_id, given, family, grade, _ = roster[s]
                    grade_text = "K" if grade == 0 else str(grade)
                    lines.append(f"{head}{student_id},{csv_field(family)},{csv_field(given)},{grade_text},{rng.choice(STATUSES)},{recorded_at},importer\r\n")
                f.write("".join(lines))
                rows += len(lines)
    return rows, per_class


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=40_000, help="sessions of 25 students (default 40,000: 1,000,000 rows)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--log-runs", type=int, default=20)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--bridges", help="the bridges binary to measure (default: the release build)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (for profiling)")
    args = parser.parse_args()

    if shutil.which("sqlite3") is None:
        sys.exit("benchmark: the sqlite3 shell is missing (apt-get install sqlite3)")
    if not args.no_build and not args.bridges:
        subprocess.run(benchkit.RELEASE_BUILD, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bridges = args.bridges or os.path.join(ROOT, ".build", "release", "bridges")

    work = tempfile.mkdtemp(prefix="bridges-bench-sessions-")
    try:
        started = time.perf_counter()
        students = 40_000
        base, roster, lessons = build_base(bridges, work, students)
        marks_csv = os.path.join(work, "marks.csv")
        rows, per_class = write_attendance(marks_csv, roster, lessons, args.sessions)
        size = os.path.getsize(marks_csv)
        print(f"setup {time.perf_counter() - started:.1f} s: {len(lessons)} lessons from Curricula/, {students:,} students in "
              f"{students // CLASS_SIZE:,} classes of {CLASS_SIZE}; attendance CSV of {rows:,} rows ({args.sessions:,} sessions), "
              f"{size / 1e6:.0f} MB; {os.cpu_count()} cores; median of {args.runs} runs\n")

        # a. import
        results = {}
        times, peaks = [], []
        for run in range(args.runs):
            fresh = os.path.join(work, f"fresh-{run}.db")
            seconds, peak = measure(["sqlite3", fresh, ".import --csv " + marks_csv + " marks"])
            times.append(seconds)
            peaks.append(peak)
            os.remove(fresh)
        results["sqlite3 .import --csv"] = (statistics.median(times), max(peaks))
        times, peaks = [], []
        imported = None
        for run in range(args.runs):
            target = os.path.join(work, f"import-{run}.sqlite")
            shutil.copyfile(base, target)
            seconds, peak = measure([bridges, "session", "import", marks_csv, "--db", target, "--actor", "bench"])
            times.append(seconds)
            peaks.append(peak)
            if imported:
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(imported + suffix):
                        os.remove(imported + suffix)
            imported = target
        results["bridges session import"] = (statistics.median(times), max(peaks))

        check = sqlite3.connect(imported)
        stored = check.execute("SELECT (SELECT count(*) FROM session), (SELECT count(*) FROM mark)").fetchone()
        check.close()
        print(f"a. import of {rows:,} rows (the imported database holds {stored[0]:,} sessions, {stored[1]:,} marks)")
        reference = results["sqlite3 .import --csv"][0]
        print(f"{'command':<28}{'seconds':>9}{'rows/s':>11}{'peak MiB':>10}{'× sqlite3':>11}  target")
        for name, (seconds, peak) in results.items():
            ratio = seconds / reference
            verdict = ""
            if name.startswith("bridges"):
                verdict = f"≤ 2.5 and < 500 MB  {'met' if ratio <= 2.5 and peak < 500 else 'MISSED'}"
            print(f"{name:<28}{seconds:>9.2f}{rows / seconds:>11,.0f}{peak:>10.0f}{ratio:>11.2f}  {verdict}")

        # b. session log on the imported database, start to exit
        class_id = roster[0][4]
        lesson_id = lessons[0][0]
        log_times, log_peaks, select_times = [], [], []
        first = datetime.date(2024, 1, 1)
        for run in range(args.log_runs + 1):  # the first of each is a warm-up, not counted
            day = (first + datetime.timedelta(days=run)).isoformat()
            seconds, peak = measure([bridges, "session", "log", "--db", imported, "--actor", "bench", "--lesson", lesson_id,
                                     "--class", class_id, "--officer", OFFICER[0], "--date", day, "--others", "present",
                                     "--absent", roster[1][0], "--late", roster[2][0]])
            select, _ = measure(["sqlite3", imported, "SELECT 1"])
            if run > 0:
                log_times.append(seconds)
                log_peaks.append(peak)
                select_times.append(select)
        log = statistics.median(log_times)
        select = statistics.median(select_times)
        print(f"\nb. session log for a class of {CLASS_SIZE} on the database holding {stored[1]:,} marks, start to exit, "
              f"median of {args.log_runs} (after one warm-up)")
        print(f"{'command':<28}{'ms':>9}{'min ms':>9}{'max ms':>9}{'peak MiB':>10}  target")
        label = 'sqlite3 db "SELECT 1"'
        print(f"{label:<28}{select * 1000:>9.1f}{min(select_times) * 1000:>9.1f}{max(select_times) * 1000:>9.1f}{'':>10}")
        print(f"{'bridges session log':<28}{log * 1000:>9.1f}{min(log_times) * 1000:>9.1f}{max(log_times) * 1000:>9.1f}{max(log_peaks):>10.0f}"
              f"  < 100 ms  {'met' if log < 0.1 else 'MISSED'}")
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
