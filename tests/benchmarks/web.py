"""The web server for benchmarks: several uvicorn processes (the Procfile's server) sharing one
listening socket, the way a production host runs them (one per core, behind nginx)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def django_setup() -> None:
    """Use the project's settings from a script (the database comes from DATABASE_URL)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


APPLICATION = "portal.asgi:application"
BIN = ROOT / ".venv" / "bin"
# Each server's command lines, given the listening socket's descriptor and the number of processes:
# uvicorn is the Procfile's; daphne, and gunicorn with uvicorn's worker (install gunicorn and
# uvicorn-worker first; they are not requirements), are there to compare with (decision 0022).
SERVERS: dict[str, Callable[[str, int], list[list[str]]]] = {
    "uvicorn": lambda fd, processes: (
        [[str(BIN / "uvicorn"), "--fd", fd, "--lifespan", "off", "--no-proxy-headers", APPLICATION]] * processes
    ),
    "daphne": lambda fd, processes: [[str(BIN / "daphne"), "--fd", fd, APPLICATION]] * processes,
    "gunicorn": lambda fd, processes: [
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"fd://{fd}",
            "--workers",
            str(processes),
            "--worker-class",
            "uvicorn_worker.UvicornWorker",
            APPLICATION,
        ]
    ],
}


@contextmanager
def web_server(processes: int, env: dict[str, str] | None = None, server: str = "uvicorn") -> Iterator[str]:
    """`processes` of `server` sharing one socket; `env`: variables added to their environment (e.g. a
    benchmark's own settings)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    log = open(os.environ.get("BENCH_WEB_LOG", os.devnull), "ab")  # noqa: SIM115 - closed below
    workers = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            pass_fds=[listener.fileno()],
            stdout=log,
            stderr=log,
        )
        for command in SERVERS[server](str(listener.fileno()), processes)
    ]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/healthz", timeout=2).ok:
                    break
            except requests.RequestException:  # the socket listens before uvicorn is ready
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the web server did not start within 60 s")
            time.sleep(0.3)
        yield url
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        listener.close()
        log.close()
