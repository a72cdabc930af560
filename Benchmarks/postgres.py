#!/usr/bin/env python3
"""Benchmark: the bulk paths and the server on PostgreSQL, beside psql doing the same bulk work, in one run
(issue 13, item 6); the same on SQLite beside the sqlite3 shell for reference.

The data is Benchmarks/scale.py's generator (`scale.Dataset`, the one server_load.py uses too) at 100,000
students (--students): 4,000 classes of 25 in 200 schools, a roster CSV of 100,000 rows and an attendance
CSV of 40,000 sessions and 1,000,000 marks, over the shipped programs of Curricula/.

Each run (--runs, median) builds a database per store through the real paths: `bridges lesson load
Curricula` and five `bridges officer add` (not timed), then, timed, each beside its reference:
  roster import of 100,000 students    PostgreSQL: psql -c "\\copy flat FROM roster.csv CSV HEADER" (one flat
                                       table, every column text); SQLite: sqlite3 fresh.db ".import --csv …"
  session import of 1,000,000 marks    the same, of the attendance CSV
Then, on the last run's databases, the attendance export (about 1,000,000 rows; `--out FILE`) beside
psql -c "\\copy (SELECT … the same join and order as Benchmarks/export.py's …) TO 'file' CSV HEADER" and
sqlite3 -csv of that join. Aims (issue 13): imports at most 2.5 × \\copy into a flat table, the export at
most 1.5 × \\copy of the same join, memory flat.

Last, session logging through the API (Benchmarks/server_load.py's client): TWO `bridges serve`
processes on the one PostgreSQL database, clients spread over both (client k on server k mod 2), each
POST /api/v1/sessions a class of 25 never logged on that day, so every answer must be 201; beside it one
`bridges serve` on the SQLite database of the same run. Printed per level: sessions/s, p50, p99, errors,
each server's resident memory.

Peak memory is ru_maxrss of the measured process (bridges, psql or sqlite3), never of the PostgreSQL
server, whose work (parsing COPY, the inserts, the join) is in neither side's CPU seconds: read the wall
times. PostgreSQL: --url names a running server (its fsync and synchronous_commit are printed: a cluster
with fsync off is not a fair comparison); without it the benchmark starts its own in the work folder with
Tests/postgres-cluster.sh and PostgreSQL's durable defaults (POSTGRES_CLUSTER_DURABLE=1), and stops it at
the end. Figures only: nothing is asserted, because a shared machine is noisy; read the ratios.

Usage: python3 Benchmarks/postgres.py [--students 100000] [--runs 3] [--url postgres://…] [--port 55441]
                                      [--clients 1,16,64] [--seconds 10] [--no-build] [--bridges PATH] [--keep]
                                      [--compare PATH]
--clients '' skips the servers. --compare PATH times another binary's PostgreSQL imports in each run as well.
"""
import argparse
import asyncio
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import benchkit  # noqa: E402



server_load = benchkit.load_module("server_load")
scale = server_load.scale
export_bench = benchkit.load_module("export")

# export.py's attendance join, for PostgreSQL: CASE must give one type, so the grade number becomes text
# (SQLite's CASE mixes 'K' and an integer, and its CSV prints both the same way).
SQLITE_EXPORT_SQL = export_bench.REFERENCE_SQL
POSTGRES_EXPORT_SQL = SQLITE_EXPORT_SQL.replace("ELSE st.grade END", "ELSE st.grade::text END")
assert POSTGRES_EXPORT_SQL != SQLITE_EXPORT_SQL, "export.py's join changed: update the PostgreSQL variant"


class Postgres:
    """A PostgreSQL server by its URL; a Bridges database is a schema in it (`schema=` in Bridges' URL)."""

    def __init__(self, url):
        self.url = url

    def bridges_url(self, schema):
        return f"{self.url}{'&' if '?' in self.url else '?'}schema={schema}"

    def env(self, schema=None):
        env = dict(os.environ)
        if schema:
            env["PGOPTIONS"] = f"-c search_path={schema}"
        return env

    def psql_argv(self, command):
        return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", self.url, "-c", command]

    def query(self, sql, schema=None):
        done = subprocess.run(self.psql_argv(sql), capture_output=True, text=True, env=self.env(schema))
        if done.returncode != 0:
            sys.exit(f"postgres: psql failed on {sql[:80]!r}:\n{done.stderr[-2000:]}")
        return done.stdout

    def measure(self, command, schema=None, stdout=None):
        """Times psql running one command (a \\copy), start to exit."""
        return benchkit.run(self.psql_argv(command), stdout=stdout, env=self.env(schema))

    def drop(self, schema):
        self.query(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def quiet(argv, stdin=None):
    return server_load.quiet(argv, stdin=stdin)


def csv_columns(path):
    with open(path, encoding="utf-8") as f:
        return f.readline().strip().split(",")


def base_database(bridges, db):
    """The shipped programs and five officers, through bridges (not timed)."""
    quiet([bridges, "lesson", "load", scale.CURRICULA, "--db", db, "--actor", "bench"])
    for officer_id, officer_name in scale.OFFICERS:
        quiet([bridges, "officer", "add", officer_id, "--name", officer_name, "--agency", "Bench County Sheriff",
               "--db", db, "--actor", "bench"])


def programs_of(sqlite_db):
    """{program: [(program, lesson, version, title, minutes)]}, as scale.Dataset.write_attendance takes it."""
    programs = {}
    with sqlite3.connect(sqlite_db) as db:
        for row in db.execute("""
                SELECT l.programId, l.id, v.version, v.title, v.minutes FROM lesson l
                JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion ORDER BY l.programId, l.id"""):
            programs.setdefault(row[0], []).append(row)
    return programs


def lines_in(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f) - 1


class Figures:
    """Runs of each measured command, by name; medians and the highest peak."""

    def __init__(self):
        self.runs = {}

    def add(self, name, run):
        self.runs.setdefault(name, []).append(run)

    def get(self, name):
        runs = self.runs[name]
        return (statistics.median(r.seconds for r in runs), statistics.median(r.cpu for r in runs),
                max(r.peak_mib for r in runs), len(runs))


def print_table(figures, rows, items):
    """rows: (label, name, reference name or None, aim or None, items key)."""
    print(f"{'operation':<36}{'seconds':>9}{'CPU s':>8}{'per s':>11}{'peak MiB':>10}{'× ref':>8}  aim")
    for label, name, reference, aim, item in rows:
        seconds, cpu, peak, _ = figures.get(name)
        ratio = seconds / figures.get(reference)[0] if reference else None
        verdict = ""
        if aim is not None and ratio is not None:
            verdict = f"≤ {aim:.1f}×  {'met' if ratio <= aim else 'MISSED'}"
        shown = f"{ratio:>8.2f}" if ratio is not None else f"{'':>8}"
        print(f"{label:<36}{seconds:>9.2f}{cpu:>8.2f}{items[item] / seconds:>11,.0f}{peak:>10.0f}{shown}  {verdict}",
              flush=True)


def server_levels(bridges, db, folder, servers, levels, seconds, work, label):
    """`servers` bridges serve processes on `db`, loaded at each level; prints and returns the figures."""
    started = []
    try:
        for k in range(servers):
            sub = os.path.join(folder, f"{label}-serve-{k}")
            os.makedirs(sub, exist_ok=True)
            started.append(server_load.start_server(bridges, db, sub))
        ports = [port for _, port, _ in started]

        def log_session():
            token, body, _ = work.take()
            head = (f"POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                    f"Content-Type: application/json\r\nIdempotency-Key: {uuid.uuid4()}\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n").encode()
            return head, body

        results = []
        for clients in levels:
            figures = asyncio.run(server_load.level(ports, clients, seconds, log_session, 201))
            memories = [server_load.memory(server.pid) for server, _, _ in started]
            errors = sum(figures["errors"].values())
            rss = "/".join(f"{m[0]:.0f}" for m in memories)
            peak = "/".join(f"{m[1]:.0f}" for m in memories)
            print(f"{label:<34}{clients:>8}{figures['per_second']:>10.1f}{figures['p50_ms']:>9.1f}{figures['p99_ms']:>9.1f}"
                  f"{errors:>8}{rss:>12}{peak:>12}{figures['client_cpu_s']:>9.1f} s", flush=True)
            for kind, count in figures["errors"].items():
                print(f"    {count} × {kind}", flush=True)
            results.append(figures)
        return results
    finally:
        for server, _, log in started:
            server.terminate()
            server.wait(timeout=30)
            log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100_000, help="students (10 sessions of 25 marks per class of 25)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", help="a running PostgreSQL server (default: start one in the work folder)")
    parser.add_argument("--port", type=int, default=55441, help="the loopback port of the cluster started here")
    parser.add_argument("--clients", default="1,16,64")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--bridges", help="the bridges binary to measure (default: the release build)")
    parser.add_argument("--compare", help="another bridges binary (e.g. main's): its PostgreSQL imports are timed in each "
                                          "run too, on a schema of their own, for a before/after in one run")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and the schemas")
    parser.add_argument("--workdir")
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",") if n]

    for tool in ("psql", "sqlite3"):
        if shutil.which(tool) is None:
            sys.exit(f"benchmark: {tool} is missing (apt-get install postgresql-client sqlite3)")
    if not args.no_build and not args.bridges:
        subprocess.run(benchkit.RELEASE_BUILD, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bridges = os.path.abspath(args.bridges or os.path.join(ROOT, ".build", "release", "bridges"))

    work = tempfile.mkdtemp(prefix="bridges-pg-bench-", dir=args.workdir)
    cluster = None
    schemas = []
    pg = None
    try:
        if args.url:
            pg = Postgres(args.url)
        else:
            os.chmod(work, 0o755)  # the cluster runs as `postgres` when this is root
            cluster = os.path.join(work, "cluster")
            done = subprocess.run(["sh", os.path.join(ROOT, "Tests", "postgres-cluster.sh"), "start", cluster, str(args.port)],
                                  capture_output=True, text=True, env={**os.environ, "POSTGRES_CLUSTER_DURABLE": "1"})
            if done.returncode != 0:
                cluster = None
                sys.exit(f"benchmark: could not start PostgreSQL:\n{done.stderr[-2000:]}")
            pg = Postgres(done.stdout.strip().splitlines()[-1])
        settings = pg.query("SELECT current_setting('server_version'), current_setting('fsync'), "
                            "current_setting('synchronous_commit'), current_setting('full_page_writes'), "
                            "current_setting('shared_buffers'), current_setting('max_wal_size')").strip().split("|")
        print(f"PostgreSQL {settings[0]}: fsync {settings[1]}, synchronous_commit {settings[2]}, full_page_writes "
              f"{settings[3]}, shared_buffers {settings[4]}, max_wal_size {settings[5]}"
              f"{'  (NOT durable: not a fair comparison)' if settings[1] != 'on' else ''}")
        print(f"{os.cpu_count()} cores; bridges {bridges}; median of {args.runs} runs", flush=True)

        # The data: roster and attendance CSVs from scale.Dataset; the lessons' ids from a first base database.
        started = time.perf_counter()
        data = scale.Dataset(args.students, args.seed)
        pre_roster = os.path.join(work, "pre-roster.sqlite")
        base_database(bridges, pre_roster)
        programs = programs_of(pre_roster)
        roster_csv = os.path.join(work, "roster.csv")
        marks_csv = os.path.join(work, "attendance-in.csv")
        data.write_roster(roster_csv)
        sessions, marks = data.write_attendance(marks_csv, programs)
        items = {"students": data.students, "marks": marks}
        print(f"data: {data.students:,} students, {data.classes:,} classes, {data.schools} schools; roster "
              f"{os.path.getsize(roster_csv) / 1e6:.0f} MB, attendance {sessions:,} sessions, {marks:,} marks "
              f"{os.path.getsize(marks_csv) / 1e6:.0f} MB; generated in {time.perf_counter() - started:.0f} s; "
              f"peak floor (`true`) {benchkit.run(['true']).peak_mib:.0f} MiB\n", flush=True)

        flat = "bench_flat"
        pg.drop(flat)
        pg.query(f"CREATE SCHEMA {flat}")
        schemas.append(flat)
        flat_tables = {"roster": csv_columns(roster_csv), "marks": csv_columns(marks_csv)}

        def flat_copy(table, path):
            """psql \\copy of the CSV into a new flat table (every column text), timed; the table made before."""
            pg.query(f"DROP TABLE IF EXISTS {flat}.{table}; CREATE TABLE {flat}.{table} ("
                     + ", ".join(f"{c} text" for c in flat_tables[table]) + ")")
            return pg.measure(f"\\copy {flat}.{table} FROM '{path}' WITH (FORMAT csv, HEADER true)")

        def sqlite_import(table, path):
            shell = os.path.join(work, "shell.db")
            scale.remove_db(shell)
            return benchkit.run(["sqlite3", shell, f".import --csv {path} {table}"])

        figures = Figures()
        sqlite_db = postgres_db = None
        for run in range(args.runs):
            # SQLite: a fresh copy of the base; roster import, then session import into it.
            previous = sqlite_db
            sqlite_db = os.path.join(work, f"run-{run}.sqlite")
            scale.copy_db(pre_roster, sqlite_db)
            # PostgreSQL: a fresh schema, its base through bridges.
            schema = f"bench_run_{run}"
            pg.drop(schema)
            schemas.append(schema)
            postgres_db = pg.bridges_url(schema)
            base_database(bridges, postgres_db)

            figures.add("sqlite3 .import roster", sqlite_import("roster", roster_csv))
            figures.add("sqlite roster import", benchkit.run([bridges, "roster", "import", roster_csv, "--db", sqlite_db, "--actor", "bench"]))
            figures.add("psql \\copy roster", flat_copy("roster", roster_csv))
            figures.add("postgres roster import", benchkit.run([bridges, "roster", "import", roster_csv, "--db", postgres_db, "--actor", "bench"]))
            figures.add("sqlite3 .import marks", sqlite_import("marks", marks_csv))
            figures.add("sqlite session import", benchkit.run([bridges, "session", "import", marks_csv, "--db", sqlite_db, "--actor", "bench"]))
            figures.add("psql \\copy marks", flat_copy("marks", marks_csv))
            figures.add("postgres session import", benchkit.run([bridges, "session", "import", marks_csv, "--db", postgres_db, "--actor", "bench"]))
            if args.compare:
                other = f"bench_compare_{run}"
                pg.drop(other)
                other_db = pg.bridges_url(other)
                base_database(args.compare, other_db)
                figures.add("compared roster import", benchkit.run([args.compare, "roster", "import", roster_csv, "--db", other_db, "--actor", "bench"]))
                figures.add("compared session import", benchkit.run([args.compare, "session", "import", marks_csv, "--db", other_db, "--actor", "bench"]))
                pg.drop(other)
            latest = {name: runs[-1].seconds for name, runs in figures.runs.items()}
            print("run {}: PostgreSQL roster import {:.2f} s (\\copy {:.2f} s), session import {:.2f} s (\\copy {:.2f} s)".format(
                run + 1, latest["postgres roster import"], latest["psql \\copy roster"], latest["postgres session import"],
                latest["psql \\copy marks"]), flush=True)
            if previous:
                scale.remove_db(previous)
            if run + 1 < args.runs and not args.keep:
                pg.drop(schema)
                schemas.remove(schema)
        scale.remove_db(os.path.join(work, "shell.db"))
        pg.query(f"DROP TABLE IF EXISTS {flat}.roster, {flat}.marks")
        os.remove(roster_csv)
        os.remove(marks_csv)
        last = schemas[-1]
        counts = pg.query("SELECT (SELECT count(*) FROM student), (SELECT count(*) FROM session), (SELECT count(*) FROM mark)",
                          schema=last).strip()
        with sqlite3.connect(sqlite_db) as db:
            sqlite_counts = db.execute("SELECT (SELECT count(*) FROM student), (SELECT count(*) FROM session), "
                                       "(SELECT count(*) FROM mark)").fetchone()
        print(f"stored (students|sessions|marks): PostgreSQL {counts}, SQLite {'|'.join(map(str, sqlite_counts))}\n", flush=True)

        # The attendance export of the last run's databases, alternating with its references.
        out = {name: os.path.join(work, f"{name}.csv") for name in ("psql", "postgres", "sqlite3", "sqlite")}
        single_line = " ".join(POSTGRES_EXPORT_SQL.split())
        for _ in range(args.runs):
            figures.add("psql \\copy (join) TO", pg.measure(
                f"\\copy ({single_line}) TO '{out['psql']}' WITH (FORMAT csv, HEADER true)", schema=last))
            figures.add("postgres export attendance", benchkit.run(
                [bridges, "export", "attendance", "--db", postgres_db, "--out", out["postgres"], "--force"]))
            figures.add("sqlite3 -csv (join)", benchkit.run(["sqlite3", "-csv", "-header", sqlite_db, SQLITE_EXPORT_SQL], stdout=out["sqlite3"]))
            figures.add("sqlite export attendance", benchkit.run(
                [bridges, "export", "attendance", "--db", sqlite_db, "--out", out["sqlite"], "--force"]))
        rows = {name: lines_in(path) for name, path in out.items()}
        items["rows"] = rows["postgres"]
        print("rows written: " + ", ".join(f"{name} {n:,}" for name, n in rows.items()) + "\n")
        for path in out.values():
            os.remove(path)

        print("PostgreSQL (bridges --db postgres://…) beside psql:")
        print_table(figures, [
            ("psql \\copy roster.csv (flat)", "psql \\copy roster", None, None, "students"),
            ("bridges roster import", "postgres roster import", "psql \\copy roster", 2.5, "students"),
            ("psql \\copy attendance.csv (flat)", "psql \\copy marks", None, None, "marks"),
            ("bridges session import", "postgres session import", "psql \\copy marks", 2.5, "marks"),
        ] + ([
            ("--compare roster import", "compared roster import", "psql \\copy roster", 2.5, "students"),
            ("--compare session import", "compared session import", "psql \\copy marks", 2.5, "marks"),
        ] if args.compare else []) + [
            ("psql \\copy (the join) TO file", "psql \\copy (join) TO", None, None, "rows"),
            ("bridges export attendance", "postgres export attendance", "psql \\copy (join) TO", 1.5, "rows"),
        ], items)
        print("\nSQLite (bridges --db FILE) beside the sqlite3 shell, for reference:")
        print_table(figures, [
            ("sqlite3 .import roster.csv", "sqlite3 .import roster", None, None, "students"),
            ("bridges roster import", "sqlite roster import", "sqlite3 .import roster", 4.0, "students"),
            ("sqlite3 .import attendance.csv", "sqlite3 .import marks", None, None, "marks"),
            ("bridges session import", "sqlite session import", "sqlite3 .import marks", 2.5, "marks"),
            ("sqlite3 -csv (the join)", "sqlite3 -csv (join)", None, None, "rows"),
            ("bridges export attendance", "sqlite export attendance", "sqlite3 -csv (join)", 1.5, "rows"),
        ], items)
        print("\nPostgreSQL ÷ SQLite, bridges: " + ", ".join(
            f"{op} {figures.get('postgres ' + op)[0] / figures.get('sqlite ' + op)[0]:.2f}"
            for op in ("roster import", "session import", "export attendance")), flush=True)

        # Session logging through the API: two servers on the PostgreSQL database, one on the SQLite file.
        if levels:
            print(f"\nsession logging through the API, {args.seconds:g} s a level; RSS and peak MiB per server")
            print(f"{'servers':<34}{'clients':>8}{'per s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'RSS MiB':>12}"
                  f"{'peak MiB':>12}{'client cpu':>11}", flush=True)
            before = int(pg.query("SELECT count(*) FROM session", schema=last))
            accounts = server_load.make_accounts(bridges, postgres_db, data)
            pg_results = server_levels(bridges, postgres_db, work, 2, levels, args.seconds,
                                       server_load.Work(data, programs, accounts), "2 × serve, one PostgreSQL db")
            after = int(pg.query("SELECT count(*) FROM session", schema=last))
            logged = sum(r["requests"] - sum(r["errors"].values()) for r in pg_results)
            print(f"    PostgreSQL sessions: {before:,} before, {after:,} after: {after - before:,} new, {logged:,} answered 201")
            accounts = server_load.make_accounts(bridges, sqlite_db, data)
            server_levels(bridges, sqlite_db, work, 1, levels, args.seconds,
                          server_load.Work(data, programs, accounts), "1 × serve, the SQLite file")
    finally:
        if args.keep:
            print(f"\nkept {work}" + (f" and schemas {', '.join(schemas)}" if schemas else ""))
        else:
            if pg is not None and cluster is None:
                for schema in schemas:
                    pg.drop(schema)
        if cluster is not None:
            subprocess.run(["sh", os.path.join(ROOT, "Tests", "postgres-cluster.sh"), "stop", cluster])
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
