#!/usr/bin/env python3
"""Benchmark of the tamper-evident audit trail (issue 15): `bridges doctor` and the chain's migration on a
district-and-more database, by default 10,000,000 marks (400,000 sessions of 25 students, 1,000,000 students).

The database is generated quickly: the shipped lessons go in through `bridges lesson load` (so the schema is
bridges' own, every migration applied), then schools, classes, students, an officer, sessions, marks and one
`log` event per session (worded as `session log` words it) are written with plain SQL, each event chained with
Python's hashlib, by the encoding Sources/BridgesStore/AuditChain.swift documents: a second implementation, so a
doctor that passes here also checks the Swift SHA-256 and encoding against Python's.

Measured (wall seconds, CPU seconds, peak resident memory from os.wait4):
  1. bridges doctor on the whole database (it must pass: exit 0), beside `sqlite3 PRAGMA integrity_check;
     PRAGMA foreign_key_check` on the same file (the C tool doing part of the same work);
  2. bridges upgrade after the chain is taken away (columns dropped, the migration's record deleted): the
     migration chaining every event again; the hashes must come back the same;
  3. bridges doctor after one mark in the middle is changed with SQL: it must exit 1 and name that session.
Figures only, nothing timed is asserted (a shared machine is noisy).

Usage: python3 Benchmarks/audit_chain.py [--sessions N] [--no-build] [--bridges PATH] [--keep]
"""
import argparse
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import benchkit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLASS_SIZE = 25
SESSIONS_PER_CLASS = 10
STATUSES = ["present"] * 17 + ["late"] * 3 + ["absent"] * 4 + ["excused"]
GENESIS = "0" * 64
TAG = b"bridges audit chain 1"


def text(value):
    if value is None:
        return b"\x00"
    data = value.encode("utf-8")
    return b"\x01" + len(data).to_bytes(4, "big") + data


def digest(value):
    if value is None:
        return b"\x00"
    return b"\x02" + hashlib.sha256(value.encode("utf-8")).digest()


def chain_hash(previous, id, at, actor, action, entity, entity_id, field, old, new, reason, detail):
    data = (TAG + text(previous) + text(str(id)) + text(at) + text(actor) + text(action) + text(entity) + text(entity_id)
            + text(field) + digest(old) + digest(new) + digest(reason) + digest(detail))
    return hashlib.sha256(data).hexdigest()


def build(bridges, path, sessions):
    benchkit.run([bridges, "lesson", "load", os.path.join(ROOT, "Curricula"), "--db", path, "--actor", "bench"])
    rng = random.Random(15)
    classes = sessions // SESSIONS_PER_CLASS
    db = sqlite3.connect(path)
    lessons = db.execute("""
        SELECT l.id, v.version, v.minutes FROM lesson l JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion
        ORDER BY l.id""").fetchall()
    last_id, previous = db.execute("SELECT id, chainHash FROM auditEvent ORDER BY id DESC LIMIT 1").fetchone()
    with db:
        db.executemany("INSERT INTO school (id, name) VALUES (?, ?)", [(f"{s:04d}", f"School {s:04d}") for s in range(classes // 20 + 1)])
        db.executemany("INSERT INTO schoolClass (id, schoolId, name) VALUES (?, ?, ?)",
                       ((f"c{c:06d}", f"{c // 20:04d}", f"Class {c}") for c in range(classes)))
        db.executemany("INSERT INTO student (id, givenName, familyName, grade, gradeCode) VALUES (?, ?, ?, 3, '3')",
                       ((f"{s:07d}", f"Given{s}", f"Family{s}") for s in range(classes * CLASS_SIZE)))
        db.executemany("INSERT INTO enrollment (classId, studentId) VALUES (?, ?)",
                       ((f"c{s // CLASS_SIZE:06d}", f"{s:07d}") for s in range(classes * CLASS_SIZE)))
        db.execute("INSERT INTO officer (id, name) VALUES ('ofc-1', 'Officer Bench')")
        session_id = 0
        # Dated now: after the lesson load's events, as the trail's dates must rise.
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        events = []
        marks = []
        for k in range(SESSIONS_PER_CLASS):
            for c in range(classes):
                session_id += 1
                lesson, version, minutes = lessons[(c + k) % len(lessons)]
                date = f"2025-{9 + k // 4:02d}-{1 + (k % 4) * 7 + c % 5:02d}"
                db.execute("""INSERT INTO session (id, classId, lessonId, lessonVersion, officerId, date, minutes, recordedAt, recordedBy)
                              VALUES (?, ?, ?, ?, 'ofc-1', ?, ?, ?, 'bench')""", (session_id, f"c{c:06d}", lesson, version, date, minutes, at))
                counts = {s: 0 for s in ("present", "late", "absent", "excused")}
                for s in range(c * CLASS_SIZE, (c + 1) * CLASS_SIZE):
                    status = rng.choice(STATUSES)
                    counts[status] += 1
                    marks.append((session_id, f"{s:07d}", status))
                detail = (f"lesson {lesson} v{version}, class c{c:06d}, officer ofc-1, {date}, {minutes} min; "
                          + ", ".join(f"{counts[s]} {s}" for s in ("present", "late", "absent", "excused")))
                last_id += 1
                previous = chain_hash(previous, last_id, at, "bench", "log", "session", str(session_id), None, None, None, None, detail)
                events.append((last_id, at, "bench", "log", "session", str(session_id), detail, previous))
                if len(marks) >= 500_000:
                    db.executemany("INSERT INTO mark (sessionId, studentId, status) VALUES (?, ?, ?)", marks)
                    db.executemany("""INSERT INTO auditEvent (id, at, actor, action, entity, entityId, detail, chainHash)
                                      VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", events)
                    marks.clear()
                    events.clear()
        db.executemany("INSERT INTO mark (sessionId, studentId, status) VALUES (?, ?, ?)", marks)
        db.executemany("INSERT INTO auditEvent (id, at, actor, action, entity, entityId, detail, chainHash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", events)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return session_id


def doctor(bridges, path):
    start = time.perf_counter()
    proc = subprocess.Popen([bridges, "doctor", "--db", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    return (time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
            os.waitstatus_to_exitcode(status), out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=400_000, help="sessions of 25 marks (default 400,000: 10,000,000 marks)")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--bridges", help="the bridges binary to measure (default: the release build)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not args.no_build and not args.bridges:
        subprocess.run(benchkit.RELEASE_BUILD, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bridges = args.bridges or os.path.join(ROOT, ".build", "release", "bridges")
    work = tempfile.mkdtemp(prefix="bridges-bench-audit-")
    try:
        path = os.path.join(work, "district.sqlite")
        started = time.perf_counter()
        sessions = build(bridges, path, args.sessions)
        marks, events = sqlite3.connect(path).execute("SELECT (SELECT count(*) FROM mark), (SELECT count(*) FROM auditEvent)").fetchone()
        size = os.path.getsize(path) / 2**20
        print(f"built {sessions:,} sessions, {marks:,} marks, {events:,} events ({size:,.0f} MiB) in {time.perf_counter() - started:.0f} s")

        seconds, cpu, peak, code, out = doctor(bridges, path)
        print(f"doctor, sound:            {seconds:7.1f} s wall {cpu:7.1f} s CPU {peak:7.0f} MiB peak  exit {code}")
        if code != 0:
            sys.exit("benchmark: doctor did not pass the generated database:\n" + out)
        # The C tool beside it, in the same run: the sqlite3 shell's own checks of the same file
        # (page structure and foreign keys; doctor does these too, then the chain and the replay).
        reference = benchkit.run(["sqlite3", path, "PRAGMA integrity_check; PRAGMA foreign_key_check;"])
        print(f"sqlite3 integrity_check + foreign_key_check: {reference.seconds:5.1f} s wall {reference.cpu:7.1f} s CPU "
              f"{reference.peak_mib:7.0f} MiB peak  (doctor × {seconds / reference.seconds:.2f})")

        db = sqlite3.connect(path)
        written = db.execute("SELECT chainHash FROM auditEvent ORDER BY id DESC LIMIT 1").fetchone()[0]
        db.executescript("""
            DROP TRIGGER auditEvent_noUpdate; DROP TRIGGER auditEvent_noDelete; DROP TRIGGER auditEvent_noReplace;
            ALTER TABLE auditEvent DROP COLUMN chainHash; ALTER TABLE auditEvent DROP COLUMN erased;
            DELETE FROM grdb_migrations WHERE identifier IN ('v3 audit trail hash chain', 'v3 student erasure and legal hold');
            ALTER TABLE student DROP COLUMN erasedAt; ALTER TABLE student DROP COLUMN holdReason;
            CREATE TRIGGER auditEvent_noUpdate BEFORE UPDATE ON auditEvent BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE TRIGGER auditEvent_noDelete BEFORE DELETE ON auditEvent BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE TRIGGER auditEvent_noReplace BEFORE INSERT ON auditEvent
            WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM auditEvent WHERE id = NEW.id)
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            PRAGMA wal_checkpoint(TRUNCATE);
            """)
        db.close()
        run = benchkit.run([bridges, "upgrade", "--db", path])
        again = sqlite3.connect(path).execute("SELECT chainHash FROM auditEvent ORDER BY id DESC LIMIT 1").fetchone()[0]
        print(f"upgrade (chain migration):{run.seconds:7.1f} s wall {run.cpu:7.1f} s CPU {run.peak_mib:7.0f} MiB peak  "
              f"head {'the same' if again == written else 'DIFFERENT'}")

        middle = sessions // 2
        db = sqlite3.connect(path)
        with db:
            db.execute("UPDATE mark SET status = CASE status WHEN 'present' THEN 'absent' ELSE 'present' END "
                       "WHERE sessionId = ? AND studentId = (SELECT min(studentId) FROM mark WHERE sessionId = ?)", (middle, middle))
        db.close()
        seconds, cpu, peak, code, out = doctor(bridges, path)
        named = any(f"({middle})" in line for line in out.splitlines() if "audit trail" in line)
        print(f"doctor, one mark changed: {seconds:7.1f} s wall {cpu:7.1f} s CPU {peak:7.0f} MiB peak  exit {code}, "
              f"session {middle} {'named' if named else 'NOT named'}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
