"""What the benchmarks share: their options, the databases they run on, the bare floor."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support import postgres


def interpreter_floor() -> float:
    """A fixed pure-Python loop, in ms: the machine's speed at this moment."""
    times = []
    for _ in range(5):
        started = time.perf_counter()
        table = {}
        for n in range(100_000):
            table[n] = str(n)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def options(**extra: int) -> argparse.Namespace:
    """``--sizes`` and ``--backends`` (both sizes, both databases by default), and ``extra``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgres")
    for name, default in extra.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",")]
    args.backends = args.backends.split(",")
    return args


@contextmanager
def databases(backends: list[str]) -> Iterator[Callable[[str, Path, str], str]]:
    """A maker of fresh database URLs: a file for SQLite, a database on a loopback server."""
    server = postgres.start() if "postgres" in backends else None

    def new_database(backend: str, folder: Path, name: str) -> str:
        if backend == "postgres":
            return server.create_database(f"{name}_{time.time_ns() % 10**12}")
        return f"sqlite:///{folder / f'{name}.sqlite'}"

    try:
        yield new_database
    finally:
        if server is not None:
            server.stop()
