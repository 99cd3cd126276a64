"""The whole product, started with the README's run command, for tests that talk to it over HTTP.

The `stack` fixture in tests/conftest.py starts it once per test session."""

import contextlib
import os
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import requests
from django.conf import settings

READY_TIMEOUT = 420  # a fresh database is migrated and filled, and the bot model loaded, before ready


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    url: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen

    @property
    def rasa_token(self) -> str:
        """RASA_AUTH_TOKEN as honcho hands it to Rasa and the portal: .env's (bin/setup writes it), else ours."""
        lines = (settings.BASE_DIR / ".env").read_text().splitlines()
        written = [line.split("=", 1)[1] for line in lines if line.startswith("RASA_AUTH_TOKEN=")]
        return written[-1] if written else self.env.get("RASA_AUTH_TOKEN", "")

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        """Runs a management command as another process of this stack would (e.g. a Celery task)."""
        return subprocess.run(
            [str(settings.BASE_DIR / ".venv/bin/python"), "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )


def stack_environment(var_dir: Path) -> dict[str, str]:
    # The chatbot's key and the portal address are left to .env and the ports below: honcho lets
    # .env win over the environment, manage.py the other way round, so only one source may set the key.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTEST") and key not in ("CHATBOT_API_KEY", "PORTAL_URL")
    }
    env.update(
        VAR_DIR=str(var_dir),
        WEB_PORT=str(free_port()),
        RASA_PORT=str(free_port()),
        ACTION_PORT=str(free_port()),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        MAP_TILE_URL="",  # no tile requests leave the test machine
    )
    # The action server calls this stack's web process, not whatever listens on 8000.
    env["PORTAL_URL"] = f"http://127.0.0.1:{env['WEB_PORT']}"
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        # A database of its own on the test server, so the stack never sees the tests' data.
        import psycopg

        server = database_url.rsplit("/", 1)[0]
        name = f"portal_stack_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{server}/{name}"
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/1"
    return env


def stop(process: subprocess.Popen) -> list[str]:
    """Ctrl-C, as a person at the terminal would; returns the processes still alive afterwards."""
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:  # bin/run ended by itself: its log says why
        children = []
    os.killpg(process.pid, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=60)
    _, alive = psutil.wait_procs(children, timeout=30)
    leftovers = [" ".join(child.cmdline()[:3]) for child in alive if child.is_running()]
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # whatever ignored Ctrl-C must not outlive the tests
    return leftovers


def start_stack(var_dir: Path):
    env = stack_environment(var_dir)
    log = var_dir / "run.log"
    process = subprocess.Popen(
        ["bin/run"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{env['WEB_PORT']}"
    deadline = time.monotonic() + READY_TIMEOUT
    body = None
    while time.monotonic() < deadline and process.poll() is None:
        try:
            response = requests.get(f"{url}/readyz", timeout=5)
            body = response.json()
            if response.status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(2)
    else:
        stop(process)
        pytest.fail(f"bin/run never became ready (last /readyz: {body}); log tail:\n{log.read_text()[-4000:]}")
    yield Stack(url=url, env=env, log=log, process=process)
    leftovers = stop(process)
    assert not leftovers, f"still running after Ctrl-C: {leftovers}"
