#!/usr/bin/env python3
"""Benchmark at scale: a district and a state, built through the real import paths, each operation beside
its C reference in the same run.

For each size (from --seed), in a temporary folder:
  1. `bridges lesson load Curricula` (the shipped programs, real lesson ids and versions) and
     `bridges officer add` (five officers) make the base database;
  2. a roster CSV (school_id,…,grade) goes in through `bridges roster import`;
  3. an attendance CSV in the attendance report's columns goes in through `bridges session import`:
     every class has 10 sessions (grades K–5: the five personal-safety lessons and five of
     conflict-resolution; grades 6–12: five of first-aid and five of conflict-resolution), 25 marks each;
  4. a generated program of ~20 KB lessons (Benchmarks/lesson_plans.py's generator) is validated and
     loaded into a fresh database.

  size      students   classes  schools  sessions    marks        generated lessons
  district    50,000     2,000      100    20,000      500,000      2,000
  state    1,000,000    40,000    2,000   400,000   10,000,000     20,000

Measured, each beside its reference (median of --runs; peak memory is ru_maxrss from os.wait4):
  lesson validate, lesson load         vs xmllint --noout --schema Curricula/lesson-plan.xsd (the same files)
  roster import (fresh roster)         vs sqlite3 fresh.db ".import --csv roster.csv roster"
  session import (every mark)          vs sqlite3 fresh.db ".import --csv marks.csv marks"
  session log (start to exit, median of 10 after a warm-up, on the full database)
                                       vs sqlite3 db "SELECT 1"
  certificate issue (every program)    vs bridges export attendance of the same database
  export attendance                    vs sqlite3 -csv of the same join (Benchmarks/export.py's query)
  export summary                       vs sqlite3 -csv of a per-program, per-class, per-student GROUP BY over marks
  export certificates                  vs sqlite3 -csv of certificate JOIN student
  export program-report                vs sqlite3 -csv of a per-program, per-school GROUP BY over sessions and marks
and the growth from district to state: (seconds per item at state) ÷ (seconds per item at district), where
an item is a lesson (lesson commands), a student (roster import, certificate issue), a mark (session import
and exports) or one command (session log). At most about 1.2 reads "linear or better", above it "superlinear".
Figures only: nothing is asserted, because a shared machine is noisy; read the ratios.

Usage: python3 Benchmarks/scale.py [--sizes district,state] [--seed N] [--runs N] [--keep] [--no-build]
                                   [--workdir DIR] [--json OUT] [--baseline IN]
  --json OUT     also write the figures as JSON (so that a size run alone can be compared later)
  --baseline IN  figures of an earlier run (--json) for the growth of sizes not run now
"""
import argparse
import datetime
import json
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
HERE = os.path.dirname(os.path.abspath(__file__))
CURRICULA = os.path.join(ROOT, "Curricula")
XSD = os.path.join(CURRICULA, "lesson-plan.xsd")
CLASS_SIZE = 25
CLASSES_PER_SCHOOL = 20
SESSIONS_PER_CLASS = 10
FIRST_DAY = datetime.date(2025, 9, 1)
AS_OF = "2026-06-30"
SIZES = {
    "smoke": {"students": 2_500, "lessons": 100},  # a quick check that everything runs
    "district": {"students": 50_000, "lessons": 2_000},
    "state": {"students": 1_000_000, "lessons": 20_000},
}
OFFICERS = [(f"off-{i:03d}", name) for i, name in enumerate(
    ["Officer Dana Reyes", "Officer Sam O'Neil", "Deputy Ana García", "Officer 李伟", "Deputy Søren Øster"], start=1)]
GIVEN = ["Ana", "Ben", "Chloé", "Dmitri", "Élodie", "Farah", "محمد", "فاطمة", "王芳", "李伟", "Алексей", "Мария",
         "अनीता", "राहुल", "Søren", "Zoë", "Nguyễn", "Oluwaseun", "Siobhán", "José"]
FAMILY = ["García", "Ng", "O'Neil", "Smith-Jones", "王", "李", "Иванов", "Петрова", "शर्मा", "पटेल", "عبدالله", "Øster",
          "Müller", "Núñez", "Kowalski", "Okafor", "Tanaka", "Dubois", "Andersson", "Quispe", "Smith, Jr."]
STATUSES = ["present"] * 20 + ["late"] * 2 + ["absent"] * 2 + ["excused"]



lesson_plans = benchkit.load_module("lesson_plans")
export_bench = benchkit.load_module("export")

ATTENDANCE_SQL = export_bench.REFERENCE_SQL

# Comparable aggregates for the other reports (not the same rows: what SQLite alone does for a similar read).
SUMMARY_SQL = """
SELECT l.programId AS program_id, c.schoolId AS school_id, s.classId AS class_id, m.studentId AS student_id,
       st.familyName AS family_name, st.givenName AS given_name,
       count(DISTINCT CASE WHEN m.status IN ('present', 'late') THEN s.lessonId END) AS lessons_attended,
       sum(m.status = 'present') AS present, sum(m.status = 'late') AS late, sum(m.status = 'absent') AS absent,
       sum(m.status = 'excused') AS excused,
       (SELECT ce.code FROM certificate ce INDEXED BY certificate_student WHERE ce.studentId = m.studentId AND ce.programId = l.programId
        AND ce.revokedOn IS NULL ORDER BY ce.issuedOn DESC LIMIT 1) AS certificate_code
FROM mark m
JOIN session s ON s.id = m.sessionId
JOIN lesson l ON l.id = s.lessonId
JOIN schoolClass c ON c.id = s.classId
JOIN student st ON st.id = m.studentId
WHERE s.voidedAt IS NULL
GROUP BY l.programId, s.classId, m.studentId
ORDER BY l.programId, c.schoolId, s.classId, m.studentId
"""
CERTIFICATES_SQL = """
SELECT ce.code AS certificate_code, CASE WHEN ce.revokedOn IS NULL THEN 'valid' ELSE 'revoked' END AS status,
       ce.programId AS program_id, ce.title AS certificate_title, ce.studentId AS student_id,
       st.familyName AS family_name, st.givenName AS given_name, ce.schoolId AS school_id, ce.issuedOn AS issued_on,
       ce.validUntil AS valid_until, ce.revokedOn AS revoked_on, ce.revocationReason AS revocation_reason
FROM certificate ce JOIN student st ON st.id = ce.studentId
ORDER BY ce.programId, ce.schoolId, ce.studentId
"""
PROGRAM_REPORT_SQL = """
SELECT l.programId AS program_id, c.schoolId AS school_id, count(DISTINCT s.id) AS sessions,
       count(DISTINCT s.officerId) AS officers, count(DISTINCT m.studentId) AS students_marked,
       count(DISTINCT CASE WHEN m.status IN ('present', 'late') THEN m.studentId END) AS students_reached,
       (SELECT count(*) FROM certificate ce WHERE ce.programId = l.programId AND ce.schoolId = c.schoolId
        AND ce.revokedOn IS NULL) AS certificates_issued
FROM session s
JOIN lesson l ON l.id = s.lessonId
JOIN schoolClass c ON c.id = s.classId
JOIN mark m ON m.sessionId = s.id
WHERE s.voidedAt IS NULL
GROUP BY l.programId, c.schoolId
ORDER BY l.programId, c.schoolId
"""


def measure(argv, stdout_path=None, cwd=None):
    """Wall seconds, CPU seconds and peak MiB of one process, its output to a file or nowhere (see benchkit.run)."""
    return tuple(benchkit.run(argv, stdout=stdout_path, cwd=cwd))


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def copy_db(source, target):
    for suffix in ("", "-wal"):
        if os.path.exists(source + suffix):
            shutil.copyfile(source + suffix, target + suffix)


def csv_field(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


class Dataset:
    """Ids and names of a generated district or state; the same seed gives the same data."""

    def __init__(self, students, seed):
        self.students = students
        self.classes = students // CLASS_SIZE
        self.schools = max(1, self.classes // CLASSES_PER_SCHOOL)
        rng = random.Random(seed)
        # Two bytes a student, not a tuple: the children's ru_maxrss starts at this process's resident size
        # (it carries across exec after fork or vfork), so this process stays small.
        self.given = bytearray(rng.randrange(len(GIVEN)) for _ in range(students))
        self.family = bytearray(rng.randrange(len(FAMILY)) for _ in range(students))
        self.seed = seed

    def school_of(self, c):
        return min(c // CLASSES_PER_SCHOOL, self.schools - 1)

    def class_id(self, c):
        return f"{self.school_of(c):05d}-{c:06d}"

    @staticmethod
    def grade(c):
        return c % 13

    def write_roster(self, path):
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\r\n")
            for c in range(self.classes):
                school = self.school_of(c)
                g = self.grade(c)
                head = f"{school:05d},School {school:05d},{self.class_id(c)},Class {c:06d} grade {'K' if g == 0 else g},"
                lines = []
                for s in range(c * CLASS_SIZE, (c + 1) * CLASS_SIZE):
                    gi, fi = self.given[s], self.family[s]
                    lines.append(f"{head}{s:08d},{csv_field(GIVEN[gi])},{csv_field(FAMILY[fi])},{'K' if g == 0 else g}\r\n")
                f.write("".join(lines))

    def write_attendance(self, path, programs):
        """The attendance report's columns; returns (sessions, marks)."""
        rng = random.Random(self.seed + 1)
        header = ("session_id,session_date,program_id,lesson_id,lesson_version,lesson_title,school_id,class_id,officer_id,"
                  "officer_name,minutes,student_id,family_name,given_name,grade,status,recorded_at,recorded_by\r\n")
        young = programs["personal-safety"][:5] + programs["conflict-resolution"][:5]
        older = programs["first-aid"][:5] + programs["conflict-resolution"][:5]
        session_id = 0
        marks = 0
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(header)
            for c in range(self.classes):
                g = self.grade(c)
                grade_text = "K" if g == 0 else str(g)
                class_id = self.class_id(c)
                school = f"{self.school_of(c):05d}"
                officer_id, officer_name = OFFICERS[c % len(OFFICERS)]
                tails = []
                for s in range(c * CLASS_SIZE, (c + 1) * CLASS_SIZE):
                    gi, fi = self.given[s], self.family[s]
                    tails.append(f"{s:08d},{csv_field(FAMILY[fi])},{csv_field(GIVEN[gi])},{grade_text},")
                lines = []
                for k, (program_id, lesson_id, version, title, minutes) in enumerate(young if g <= 5 else older):
                    session_id += 1
                    date = (FIRST_DAY + datetime.timedelta(days=7 * k + c % 5)).isoformat()
                    head = (f"{session_id},{date},{program_id},{lesson_id},{version},{csv_field(title)},{school},{class_id},"
                            f"{officer_id},{csv_field(officer_name)},{minutes},")
                    end = f",{date}T15:{c % 60:02d}:00Z,importer\r\n"
                    for tail in tails:
                        lines.append(f"{head}{tail}{rng.choice(STATUSES)}{end}")
                f.write("".join(lines))
                marks += len(lines)
        return session_id, marks


def median_runs(runs, make):
    """Median wall and CPU time and the highest peak of `runs` runs of make(run) -> measure(...)."""
    results = [make(run) for run in range(runs)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results))


def run_size(name, spec, args, bridges, work):
    """Builds one size and measures every operation; returns {operation: figures}."""
    print(f"\n=== {name}: {spec['students']:,} students, {spec['lessons']:,} generated lessons (seed {args.seed}) ===", flush=True)
    folder = os.path.join(work, name)
    os.makedirs(folder)
    figures = {}
    setup = {}

    def record(op, reference, measured, items, target=None, note=""):
        figures[op] = {"reference": reference[0], "seconds": measured[0], "cpu": measured[1], "peak": measured[2],
                       "reference_cpu": reference[1], "reference_peak": reference[2], "items": items,
                       "ratio": measured[0] / reference[0], "target": target, "note": note}
        ratio = measured[0] / reference[0]
        print(f"  {op:<26}{measured[0]:>9.3f} s {measured[2]:>7.0f} MiB   reference {reference[0]:>8.3f} s  × {ratio:5.2f}", flush=True)

    started = time.perf_counter()
    # The dataset through the real import paths.
    data = Dataset(spec["students"], args.seed)
    pre_roster = os.path.join(folder, "pre-roster.sqlite")
    measure([bridges, "lesson", "load", CURRICULA, "--db", pre_roster, "--actor", "bench"])
    for officer_id, officer_name in OFFICERS:
        measure([bridges, "officer", "add", officer_id, "--name", officer_name, "--agency", "Bench County Sheriff",
                 "--db", pre_roster, "--actor", "bench"])
    db = sqlite3.connect(pre_roster)
    programs = {}
    for program_id, lesson_id, version, title, minutes in db.execute("""
            SELECT l.programId, l.id, v.version, v.title, v.minutes FROM lesson l
            JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion ORDER BY l.programId, l.id"""):
        programs.setdefault(program_id, []).append((program_id, lesson_id, version, title, minutes))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    roster_csv = os.path.join(folder, "roster.csv")
    data.write_roster(roster_csv)
    marks_csv = os.path.join(folder, "attendance-in.csv")
    sessions, marks = data.write_attendance(marks_csv, programs)
    setup["generate_s"] = time.perf_counter() - started
    del data.given, data.family
    # The floor under every peak figure: `true`'s peak, which is this process's resident size at the spawn.
    setup["floor_mib"] = measure(["true"])[2]
    print(f"  generated roster ({os.path.getsize(roster_csv) / 1e6:.0f} MB) and attendance ({sessions:,} sessions, "
          f"{marks:,} marks, {os.path.getsize(marks_csv) / 1e6:.0f} MB) in {setup['generate_s']:.0f} s; "
          f"peak floor (`true`) {setup['floor_mib']:.0f} MiB", flush=True)

    # Roster import: fresh roster into the base (lessons, officers) each run; the last run's database is kept.
    full = os.path.join(folder, "full.sqlite")
    reference = median_runs(args.runs, lambda run: (remove_db(os.path.join(folder, "shell.db")),
                                                    measure(["sqlite3", os.path.join(folder, "shell.db"),
                                                             ".import --csv " + roster_csv + " roster"]))[1])
    remove_db(os.path.join(folder, "shell.db"))

    def roster_run(run):
        remove_db(full)
        copy_db(pre_roster, full)
        return measure([bridges, "roster", "import", roster_csv, "--db", full, "--actor", "bench"])
    record("roster import", reference, median_runs(args.runs, roster_run), data.students, 4.0)
    remove_db(pre_roster)
    with_roster = os.path.join(folder, "with-roster.sqlite")
    copy_db(full, with_roster)

    # Session import: every mark into the database with the roster; the last run's database is kept.
    reference = median_runs(args.runs, lambda run: (remove_db(os.path.join(folder, "shell.db")),
                                                    measure(["sqlite3", os.path.join(folder, "shell.db"),
                                                             ".import --csv " + marks_csv + " marks"]))[1])
    remove_db(os.path.join(folder, "shell.db"))

    def session_run(run):
        remove_db(full)
        copy_db(with_roster, full)
        return measure([bridges, "session", "import", marks_csv, "--db", full, "--actor", "bench"])
    record("session import", reference, median_runs(args.runs, session_run), marks, 2.5, "and < 500 MB")
    remove_db(with_roster)
    os.remove(marks_csv)
    os.remove(roster_csv)
    db = sqlite3.connect(full)
    stored = db.execute("SELECT (SELECT count(*) FROM student), (SELECT count(*) FROM session), (SELECT count(*) FROM mark)").fetchone()
    db.close()
    setup["stored"] = stored
    setup["database_mb"] = sum(os.path.getsize(full + s) for s in ("", "-wal") if os.path.exists(full + s)) / 1e6
    print(f"  database holds {stored[0]:,} students, {stored[1]:,} sessions, {stored[2]:,} marks; "
          f"{setup['database_mb']:.0f} MB", flush=True)

    # Session log on the full database, start to exit: median of 10 after one warm-up.
    class0 = data.class_id(0)
    lesson0 = programs["personal-safety"][0][1]
    logs, selects = [], []
    for run in range(11):
        day = (datetime.date(2024, 1, 1) + datetime.timedelta(days=run)).isoformat()
        log = measure([bridges, "session", "log", "--db", full, "--actor", "bench", "--lesson", lesson0, "--class", class0,
                       "--officer", OFFICERS[0][0], "--date", day, "--others", "present", "--absent", "00000001"])
        select = measure(["sqlite3", full, "SELECT 1"])
        if run:
            logs.append(log)
            selects.append(select)
    record("session log", (statistics.median(r[0] for r in selects), statistics.median(r[1] for r in selects),
                           max(r[2] for r in selects)),
           (statistics.median(r[0] for r in logs), statistics.median(r[1] for r in logs), max(r[2] for r in logs)),
           1, None, "< 100 ms")

    # Certificate issue beside export attendance of the same database (before any certificate exists).
    out = os.path.join(folder, "out.csv")
    export_attendance = median_runs(args.runs, lambda run: measure(
        [bridges, "export", "attendance", "--db", full, "--out", out, "--force"]))
    os.remove(out)

    def issue_run(run):
        if run == args.runs - 1:
            target = full
        else:
            target = os.path.join(folder, "issue.sqlite")
            remove_db(target)
            copy_db(full, target)
        result = measure([bridges, "certificate", "issue", "--as-of", AS_OF, "--db", target, "--actor", "bench"],
                         os.path.join(folder, "issue.out"))
        if target != full:
            remove_db(target)
        return result
    record("certificate issue", export_attendance, median_runs(args.runs, issue_run), data.students, 1.5,
           "reference: bridges export attendance")
    db = sqlite3.connect(full)
    setup["certificates"] = db.execute("SELECT count(*) FROM certificate").fetchone()[0]
    db.close()
    print(f"  certificate issue said \"{open(os.path.join(folder, 'issue.out'), encoding='utf-8').read().strip()}\"; "
          f"{setup['certificates']:,} stored", flush=True)

    # Every export beside sqlite3 -csv; output to a file in the work folder, deleted after each.
    reference_out = os.path.join(folder, "ref.csv")
    for report, sql, target, note in [
        ("attendance", ATTENDANCE_SQL, 1.5, "same join; < 100 MB"),
        ("summary", SUMMARY_SQL, None, "per-program/class/student GROUP BY"),
        ("certificates", CERTIFICATES_SQL, None, "certificate JOIN student"),
        ("program-report", PROGRAM_REPORT_SQL, None, "per-program/school GROUP BY"),
    ]:
        reference = median_runs(args.runs, lambda run: measure(["sqlite3", "-csv", "-header", full, sql], reference_out))
        measured = median_runs(args.runs, lambda run: measure([bridges, "export", report, "--db", full, "--out", out, "--force",
                                                               "--to", AS_OF]))
        with open(out, "rb") as f:
            rows = sum(1 for _ in f) - 1
        with open(reference_out, "rb") as f:
            reference_rows = sum(1 for _ in f) - 1
        record(f"export {report}", reference, measured, marks, target, f"{note}; {rows:,} rows (sqlite3 {reference_rows:,})")
        os.remove(out)
        os.remove(reference_out)

    # Lesson validate and load: generated ~20 KB lessons beside xmllint --schema on the same files.
    program = os.path.join(folder, "bench")
    size = lesson_plans.generate(program, spec["lessons"], seed=args.seed)
    files = sorted(os.listdir(program))
    setup["lesson_kb"] = size / spec["lessons"] / 1024
    reference = median_runs(args.runs, lambda run: measure(["xmllint", "--noout", "--schema", XSD, *files], cwd=program))
    record("lesson validate", reference, median_runs(args.runs, lambda run: measure(
        [bridges, "lesson", "validate", program])), spec["lessons"], 1.0)

    def load_run(run):
        target = os.path.join(folder, "lessons.sqlite")
        remove_db(target)
        result = measure([bridges, "lesson", "load", program, "--db", target, "--actor", "bench"])
        remove_db(target)
        return result
    record("lesson load", reference, median_runs(args.runs, load_run), spec["lessons"], 1.5)
    shutil.rmtree(program)
    setup["total_s"] = time.perf_counter() - started
    return {"figures": figures, "setup": setup, "sessions": sessions, "marks": marks, "students": data.students,
            "lessons": spec["lessons"]}


ORDER = ["lesson validate", "lesson load", "roster import", "session import", "session log", "certificate issue",
         "export attendance", "export summary", "export certificates", "export program-report"]


def verdict(op, f):
    ratio, peak, target = f["ratio"], f["peak"], f["target"]
    if op == "session log":
        return f"< 100 ms {'met' if f['seconds'] < 0.1 else 'MISSED'}"
    if target is None:
        return ""
    text = f"≤ {target}× {'met' if ratio <= target else 'MISSED'}"
    if op == "session import":
        text += f"; < 500 MB {'met' if peak < 500 else 'MISSED'}"
    if op == "export attendance":
        text += f"; < 100 MB {'met' if peak < 100 else 'MISSED'}"
    return text


def report(results):
    for name, result in results.items():
        print(f"\n{name}: {result['students']:,} students, {result['sessions']:,} sessions, {result['marks']:,} marks, "
              f"{result['lessons']:,} lessons; database {result['setup'].get('database_mb', 0):.0f} MB; "
              f"{result['setup'].get('certificates', 0):,} certificates; peak floor (`true`) "
              f"{result['setup'].get('floor_mib', float('nan')):.0f} MiB")
        print(f"{'operation':<24}{'seconds':>9}{'CPU s':>8}{'peak MiB':>10}{'ref s':>9}{'ref MiB':>9}{'×ref':>7}  target")
        for op in ORDER:
            f = result["figures"].get(op)
            if f:
                print(f"{op:<24}{f['seconds']:>9.3f}{f['cpu']:>8.2f}{f['peak']:>10.0f}{f['reference']:>9.3f}"
                      f"{f['reference_peak']:>9.0f}{f['ratio']:>7.2f}  {verdict(op, f)}")
    if "district" in results and "state" in results:
        small, large = results["district"]["figures"], results["state"]["figures"]
        print(f"\ngrowth district → state (seconds per item at state ÷ at district; reference alongside)")
        print(f"{'operation':<24}{'items ×':>8}{'growth':>8}{'ref growth':>11}  reading")
        for op in ORDER:
            if op in small and op in large:
                a, b = small[op], large[op]
                growth = (b["seconds"] / b["items"]) / (a["seconds"] / a["items"])
                ref_growth = (b["reference"] / b["items"]) / (a["reference"] / a["items"])
                print(f"{op:<24}{b['items'] / a['items']:>8.0f}{growth:>8.2f}{ref_growth:>11.2f}  "
                      f"{'linear or better' if growth <= 1.2 else 'superlinear'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="district,state")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=1, help="runs of each measurement, the median is shown (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--bridges", help="the bridges binary to measure (default: the release build)")
    parser.add_argument("--workdir", default=None, help="where the temporary folder goes (default: the system's)")
    parser.add_argument("--json", help="also write the figures as JSON here")
    parser.add_argument("--baseline", help="JSON of an earlier run, for the growth of sizes not run now")
    args = parser.parse_args()

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        if s not in SIZES:
            sys.exit(f"benchmark: unknown size {s} (smoke, district, state)")
    for tool in ("sqlite3", "xmllint"):
        if shutil.which(tool) is None:
            sys.exit(f"benchmark: {tool} is missing (apt-get install sqlite3 libxml2-utils)")
    if not args.no_build and not args.bridges:
        subprocess.run(benchkit.RELEASE_BUILD, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    bridges = args.bridges or os.path.join(ROOT, ".build", "release", "bridges")

    work = tempfile.mkdtemp(prefix="bridges-bench-scale-", dir=args.workdir)
    free = shutil.disk_usage(work).free / 1e9
    print(f"work folder {work} ({free:.0f} GB free); {os.cpu_count()} cores; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; median of {args.runs} run(s)", flush=True)
    if "state" in sizes and free < 15:
        sys.exit("benchmark: the state size needs about 15 GB free in the work folder (--workdir)")
    results = {}
    if args.baseline:
        with open(args.baseline) as f:
            results.update({k: v for k, v in json.load(f).items() if k not in sizes})
    try:
        for name in sizes:
            results[name] = run_size(name, SIZES[name], args, bridges, work)
            if args.json:
                with open(args.json, "w") as f:
                    json.dump(results, f, indent=1)
        print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        report(results)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
