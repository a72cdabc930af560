"""Load on `bridges serve`: officers logging sessions through the API into a district's database.

Usage: python3 Benchmarks/server_load.py [--clients 1,16,64,256] [--seconds 10] [--students 50000]
                                         [--seed 7] [--no-build] [--bridges PATH] [--keep] [--workdir DIR]

The database is a district built through the real import paths (Benchmarks/scale.py's generator): the
shipped programs, five officers, a roster of 50,000 students in 2,000 classes of 25 in 100 schools, and a
term of 20,000 sessions (500,000 marks) through `bridges session import`. Each officer gets an account
(role officer, its 20 schools) and an API token.

Then one `bridges serve` (release build, on a free loopback port, its request log to a file as in
production) is loaded by N concurrent clients (N = 1, 16, 64, 256), each with its own keep-alive
connection, for a fixed time per level:
  - POST /api/v1/sessions: a session of 25 students (one absent, one late), a new Idempotency-Key each,
    a class, lesson and date never logged before (so every answer must be 201);
  - beside it, in the same run and at the same concurrency, GET /healthz (the server's floor: HTTP,
    routing and one database read) and, for the command line, `bridges session log` back to back
    (each a whole process: open the database, log, exit).
Printed per level: sessions (or requests) per second, p50 and p99 latency, errors (any answer but 201,
or 200 for /healthz; each kind is named) and the server's resident memory (VmRSS now, VmHWM the peak).

The clients are one asyncio loop in this process (a small HTTP/1.1 client on raw streams, so that 256
clients cost no threads). On a 2-core machine they share the CPUs with the server: the client's CPU
seconds are printed so that a reader can see how much of the machine they took. Figures, never a
verdict: the machine is shared and noisy.
"""
import argparse
import asyncio
import datetime
import json
import os
import re
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



scale = benchkit.load_module("scale")


def quiet(argv, stdin=None):
    """Runs a bridges command that must succeed; returns its standard output."""
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"server_load: {' '.join(argv[:3])} … exited {done.returncode}:\n{done.stderr[-2000:]}")
    return done.stdout


def build_district(bridges, folder, students, seed):
    """The district's database; returns (db, data, programs)."""
    db = os.path.join(folder, "district.sqlite")
    started = time.perf_counter()
    quiet([bridges, "lesson", "load", scale.CURRICULA, "--db", db, "--actor", "bench"])
    for officer_id, officer_name in scale.OFFICERS:
        quiet([bridges, "officer", "add", officer_id, "--name", officer_name, "--agency", "Bench County Sheriff",
               "--db", db, "--actor", "bench"])
    programs = {}
    with sqlite3.connect(db) as connection:
        for row in connection.execute("""
                SELECT l.programId, l.id, v.version, v.title, v.minutes FROM lesson l
                JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion ORDER BY l.programId, l.id"""):
            programs.setdefault(row[0], []).append(row)
    data = scale.Dataset(students, seed)
    roster = os.path.join(folder, "roster.csv")
    marks = os.path.join(folder, "attendance-in.csv")
    data.write_roster(roster)
    sessions, mark_count = data.write_attendance(marks, programs)
    quiet([bridges, "roster", "import", roster, "--db", db, "--actor", "bench"])
    quiet([bridges, "session", "import", marks, "--db", db, "--actor", "bench"])
    os.remove(roster)
    os.remove(marks)
    print(f"district: {students:,} students, {data.classes:,} classes, {data.schools} schools, {sessions:,} sessions, "
          f"{mark_count:,} marks, built in {time.perf_counter() - started:.0f} s", flush=True)
    return db, data, programs


def make_accounts(bridges, db, data):
    """One officer account per officer, each with its share of the schools; returns [(officer, token, classes)]."""
    accounts = []
    per = -(-data.schools // len(scale.OFFICERS))
    for k, (officer_id, _) in enumerate(scale.OFFICERS):
        schools = range(k * per, min((k + 1) * per, data.schools))
        if not schools:
            continue
        flags = []
        for school in schools:
            flags += ["--school", f"{school:05d}"]
        name = f"bench{k + 1}"
        quiet([bridges, "user", "add", name, "--role", "officer", "--officer", officer_id, *flags, "--db", db, "--actor", "bench"],
              stdin="a long benchmark pass phrase\n")
        token = quiet([bridges, "token", "create", name, "--db", db, "--actor", "bench"]).strip().splitlines()[-1]
        classes = [c for c in range(data.classes) if data.school_of(c) in schools]
        accounts.append((officer_id, token, classes))
    return accounts


class Work:
    """Sessions never logged before: a class of the account's schools, a day after the imported term, a
    lesson of the class's grade. (class, day) is new for every item, so each must be logged (201)."""

    def __init__(self, data, programs, accounts):
        self.data = data
        self.accounts = accounts
        self.young = programs["personal-safety"] + programs["conflict-resolution"]
        self.older = programs["first-aid"] + programs["conflict-resolution"]
        self.first = datetime.date(2026, 1, 5)
        self.next = 0

    def take(self):
        i = self.next
        self.next += 1
        officer, token, classes = self.accounts[i % len(self.accounts)]
        j = i // len(self.accounts)
        c = classes[j % len(classes)]
        day = self.first + datetime.timedelta(days=j // len(classes))
        if day >= datetime.date.today():
            sys.exit("server_load: ran out of past days for new sessions; use fewer --seconds")
        lessons = self.young if scale.Dataset.grade(c) <= 5 else self.older
        lesson = lessons[(j // len(classes)) % len(lessons)][1]
        first = c * scale.CLASS_SIZE
        marks = {f"{s:08d}": "present" for s in range(first, first + scale.CLASS_SIZE)}
        marks[f"{first:08d}"] = "absent"
        marks[f"{first + 1:08d}"] = "late"
        body = json.dumps({"lesson": lesson, "class": self.data.class_id(c), "date": day.isoformat(), "marks": marks})
        return token, body.encode(), (lesson, self.data.class_id(c), day.isoformat(), officer)


async def exchange(reader, writer, head, body):
    """One HTTP/1.1 request on a kept-alive connection; returns (status, body bytes)."""
    writer.write(head + body)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        data = b""
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            data += await reader.readexactly(size + 2)
        return status, data
    return status, await reader.readexactly(length) if length else b""


async def level(port, clients, seconds, request, expected):
    """`clients` connections, each sending request() back to back for `seconds`; returns figures.
    `port` may be a list of ports (several servers on one database): client k connects to port k mod n."""
    ports = list(port) if isinstance(port, (list, tuple)) else [port]
    latencies, errors = [], {}
    deadline = time.perf_counter() + seconds

    async def client(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline:
                head, body = request()
                started = time.perf_counter()
                try:
                    status, answer = await exchange(reader, writer, head, body)
                except (ConnectionError, asyncio.IncompleteReadError) as error:
                    errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    continue
                latencies.append(time.perf_counter() - started)
                if status != expected:
                    detail = ""
                    try:
                        detail = json.loads(answer).get("detail", "")[:120]
                    except ValueError:
                        pass
                    key = f"{status} {detail}".strip()
                    errors[key] = errors.get(key, 0) + 1
        finally:
            writer.close()

    started = time.perf_counter()
    cpu = time.process_time()
    await asyncio.gather(*(client(ports[k % len(ports)]) for k in range(clients)))
    wall = time.perf_counter() - started
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
    return {"clients": clients, "requests": len(latencies), "per_second": len(latencies) / wall,
            "p50_ms": percentile(0.50), "p99_ms": percentile(0.99), "errors": errors,
            "client_cpu_s": time.process_time() - cpu, "wall_s": wall}


def memory(pid):
    """The server's VmRSS and VmHWM in MiB."""
    figures = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                figures[line.split(":")[0]] = int(line.split()[1]) / 1024
    return figures.get("VmRSS", float("nan")), figures.get("VmHWM", float("nan"))


def start_server(bridges, db, folder):
    log = open(os.path.join(folder, "serve.log"), "wb")
    server = subprocess.Popen([bridges, "serve", "--port", "0", "--db", db], stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(200):
        time.sleep(0.05)
        with open(log.name, "rb") as read:
            found = re.search(rb"listening on http://127\.0\.0\.1:(\d+) ", read.read())
        if found:
            return server, int(found.group(1)), log
        if server.poll() is not None:
            break
    with open(log.name, "rb") as read:
        sys.exit("server_load: bridges serve did not start:\n" + read.read().decode(errors="replace")[-2000:])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,16,64,256")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log-runs", type=int, default=20, help="back-to-back `bridges session log` runs")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--bridges", help="the bridges binary to measure (default: the release build)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--workdir")
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]

    if not args.no_build and not args.bridges:
        subprocess.run(benchkit.RELEASE_BUILD, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bridges = os.path.abspath(args.bridges or os.path.join(ROOT, ".build", "release", "bridges"))
    folder = tempfile.mkdtemp(prefix="bridges-load-", dir=args.workdir)
    try:
        db, data, programs = build_district(bridges, folder, args.students, args.seed)
        accounts = make_accounts(bridges, db, data)
        work = Work(data, programs, accounts)

        # The command line's rate: `bridges session log` back to back, each a whole process.
        runs = []
        for _ in range(args.log_runs):
            token, body, (lesson, class_id, day, officer) = work.take()
            marks = json.loads(body)["marks"]
            absent = [s for s, status in marks.items() if status == "absent"]
            late = [s for s, status in marks.items() if status == "late"]
            runs.append(benchkit.run([bridges, "session", "log", "--lesson", lesson, "--class", class_id, "--officer", officer,
                                      "--date", day, "--absent", ",".join(absent), "--late", ",".join(late), "--others", "present",
                                      "--db", db, "--actor", "bench"]).seconds)
        cli_rate = len(runs) / sum(runs)
        print(f"bridges session log back to back: {cli_rate:.1f} sessions/s (median {statistics.median(runs) * 1000:.0f} ms "
              f"per process, {len(runs)} runs)", flush=True)

        server, port, log = start_server(bridges, db, folder)
        try:
            def log_session():
                token, body, _ = work.take()
                head = (f"POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                        f"Content-Type: application/json\r\nIdempotency-Key: {uuid.uuid4()}\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n").encode()
                return head, body

            health_head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            results = []
            print(f"\nbridges serve on 127.0.0.1:{port}, {args.seconds:g} s a level "
                  f"(pid {server.pid}; resident at start {memory(server.pid)[0]:.0f} MiB)\n", flush=True)
            print(f"{'route':<22}{'clients':>8}{'per s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'RSS MiB':>9}{'peak':>7}"
                  f"{'client cpu':>12}", flush=True)
            for clients in levels:
                for name, request, expected in (("POST /api/v1/sessions", log_session, 201),
                                                ("GET /healthz", lambda: (health_head, b""), 200)):
                    figures = asyncio.run(level(port, clients, args.seconds, request, expected))
                    rss, peak = memory(server.pid)
                    figures.update(route=name, rss_mib=rss, peak_mib=peak)
                    results.append(figures)
                    errors = sum(figures["errors"].values())
                    print(f"{name:<22}{clients:>8}{figures['per_second']:>10.1f}{figures['p50_ms']:>9.1f}{figures['p99_ms']:>9.1f}"
                          f"{errors:>8}{rss:>9.0f}{peak:>7.0f}{figures['client_cpu_s']:>10.1f} s", flush=True)
                    for kind, count in figures["errors"].items():
                        print(f"    {count} × {kind}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()

        logged = [r for r in results if r["route"].startswith("POST")]
        best = max(r["per_second"] for r in logged)
        print(f"\nbest API throughput {best:.1f} sessions/s = {best / cli_rate:.2f} × `bridges session log` back to back "
              f"({cli_rate:.1f}/s)")
        at64 = [r for r in logged if r["clients"] == 64]
        if at64:
            print(f"p99 at 64 clients: {at64[0]['p99_ms']:.0f} ms")
        with sqlite3.connect(db) as connection:
            count = connection.execute("SELECT count(*) FROM session").fetchone()[0]
        print(f"sessions in the database at the end: {count:,} (the term's {data.classes * scale.SESSIONS_PER_CLASS:,}, "
              f"{len(runs)} from the command line, {sum(r['requests'] - sum(r['errors'].values()) for r in logged):,} through the API)")
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
