"""What every benchmark here shares: running one process and measuring it.

`run` gives wall seconds (start to exit), CPU seconds (user + system) and peak resident memory
(ru_maxrss from os.wait4, in MiB). The child's stderr goes to a temporary file, never to a pipe
nobody reads (xmllint says "validates" per file, which would fill one and hang). A child that
fails stops the benchmark with the end of what it said.
"""
import collections
import importlib.util
import os
import subprocess
import sys
import tempfile
import time

Run = collections.namedtuple("Run", "seconds cpu peak_mib")

# How every benchmark builds the `bridges` it measures (at .build/release/bridges): release, with
# the Swift runtime and Foundation linked into the binary, as README "Running it for a district"
# builds it for a server. Linked dynamically instead, each start spends ~8 ms binding the binary's
# references to libswiftCore and Foundation, a third of a short command (docs/BENCHMARKS.md).
RELEASE_BUILD = ["swift", "build", "-c", "release", "--product", "bridges", "--static-swift-stdlib"]


def run(argv, stdout=None, cwd=None, env=None):
    """Runs `argv`; `stdout` is a path, an open file, or None for nowhere."""
    with tempfile.TemporaryFile() as errors:
        out = open(stdout, "wb") if isinstance(stdout, str) else None
        try:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=out or stdout or subprocess.DEVNULL, stderr=errors, cwd=cwd, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
        finally:
            if out:
                out.close()
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"benchmark: {' '.join(map(str, argv[:4]))} … exited {code}:\n{err[-3000:]}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def load_module(name):
    """Another script of Benchmarks/ by its path, as a module (its main() is not run)."""
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", os.path.join(here, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
