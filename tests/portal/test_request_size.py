"""The request size guard, tried over real sockets against the web server the Procfile runs.

Django's test client would prove nothing here: the danger is the server reading a body whole (into
memory) before the application is asked, which only the real server does."""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.stack_runner import free_port

MB = 1024 * 1024
LIMIT = 8 * MB
ADMIN_LIMIT = 32 * MB


def web_command() -> str:
    """The Procfile's web line: the server production runs."""
    procfile = (settings.BASE_DIR / "Procfile").read_text()
    return re.search(r"^web:\s*(.+)$", procfile, re.MULTILINE).group(1)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("web")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    for key in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(key, None)  # a SQLite database of its own, migrated here
    env.update(
        VAR_DIR=str(var_dir),
        WEB_PORT=str(free_port()),
        MAX_REQUEST_BYTES=str(LIMIT),
        MAX_ADMIN_REQUEST_BYTES=str(ADMIN_LIMIT),
        DJANGO_SUPERUSER_PASSWORD="a long enough password",
    )
    manage = [str(settings.BASE_DIR / ".venv/bin/python"), "manage.py"]
    run = {"cwd": settings.BASE_DIR, "env": env, "check": True, "capture_output": True, "timeout": 300}
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], **run)
    subprocess.run([*manage, "createsuperuser", "--no-input", "--username", "editor", "--email", "e@x.kr"], **run)
    log = (var_dir / "web.log").open("w")
    process = subprocess.Popen(
        ["bash", "-c", "exec " + web_command()],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{env['WEB_PORT']}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(url + "/healthz", timeout=2)
            break
        except requests.RequestException:
            assert time.monotonic() < deadline, Path(log.name).read_text()
            time.sleep(0.3)
    yield process, url
    process.terminate()
    process.wait(timeout=30)


def read_response(sock: socket.socket) -> str:
    """What the server answered before closing the connection ("" when it closed without one)."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return data.decode("utf-8", errors="replace")


def open_request(url: str, head: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(head.replace("\n", "\r\n").encode())
    return sock


def memory(pid: int) -> dict[str, int]:
    """The server's resident memory now (VmRSS) and at its peak (VmHWM), in bytes."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {
        key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE).group(1)) * 1024 for key in ("VmRSS", "VmHWM")
    }


def send_chunked(url: str, path: str, total: int, cookie: str = "") -> tuple[int, str]:
    """Sends up to `total` bytes as a chunked body; how many went out before the server stopped
    taking them, and the status line of its answer."""
    sock = open_request(
        url,
        f"POST {path} HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/octet-stream\n"
        f"Transfer-Encoding: chunked\nAccept-Language: ko\n{cookie}\n",
    )
    piece = b"x" * MB
    sent = 0
    with sock:
        try:
            while sent < total:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        return sent, read_response(sock).split("\r\n", 1)[0]


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(web):
    _process, url = web
    started = time.monotonic()
    with open_request(
        url,
        f"POST /ko/complaints/report/ HTTP/1.1\nHost: 127.0.0.1\nContent-Type: multipart/form-data; boundary=x\n"
        f"Content-Length: {200 * MB}\nAccept-Language: ko\n\n",
    ) as sock:
        response = read_response(sock)
    assert response.startswith("HTTP/1.1 413"), response
    assert time.monotonic() - started < 5
    assert "너무 큽니다" in response
    response = requests.post(url + "/api/v1/complaints/photos/", data=b"x" * (LIMIT + 1), timeout=10)
    assert response.status_code == 413
    assert (
        "at most 8.0"
        in requests.post(
            url + "/api/v1/complaints/photos/", data=b"x" * (LIMIT + 1), headers={"Accept-Language": "en"}, timeout=10
        ).json()["detail"]
    )


def test_a_chunked_body_is_cut_off_at_the_limit_without_the_server_holding_it(web):
    process, url = web
    for _ in range(3):  # warm up: whatever the first requests load is loaded before measuring
        send_chunked(url, "/ko/complaints/report/", 2 * MB)
    before = memory(process.pid)
    Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # restart the peak (VmHWM) from here
    sent, line = send_chunked(url, "/ko/complaints/report/", 200 * MB)
    after = memory(process.pid)
    assert line in ("", "HTTP/1.1 413 Request Entity Too Large", "HTTP/1.1 413 Content Too Large"), line
    assert sent < 100 * MB, "the server kept reading past the limit"
    assert after["VmHWM"] - before["VmRSS"] < 40 * MB, (before, after)
    assert requests.get(url + "/healthz", timeout=5).status_code == 200


def test_ordinary_posts_pass_and_only_signed_in_editors_get_the_admin_allowance(web):
    _process, url = web
    session = requests.Session()
    session.get(url + "/admin/login/", timeout=10)
    login = {
        "username": "editor",
        "password": "a long enough password",
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }
    response = session.post(url + "/admin/login/", data=login, headers={"Referer": url + "/admin/login/"}, timeout=10)
    assert response.status_code == 200  # a normal form post: signed in, on to the dashboard
    assert "sessionid" in session.cookies

    # Between the two limits: an anonymous request to the admin gets the ordinary one ...
    sent, line = send_chunked(url, "/admin/login/", 2 * LIMIT)
    assert line.startswith("HTTP/1.1 413"), line
    response = requests.post(url + "/admin/login/", data=b"x" * (2 * LIMIT), timeout=30)
    assert response.status_code == 413
    # ... a signed-in editor's goes through to Django (which then wants its CSRF token).
    cookie = f"Cookie: sessionid={session.cookies['sessionid']}\n"
    sent, line = send_chunked(url, "/admin/", 2 * LIMIT, cookie)
    assert sent == 2 * LIMIT
    assert line.startswith("HTTP/1.1 403"), line
    # Above the admin's limit, editors are refused too.
    sent, line = send_chunked(url, "/admin/", 2 * ADMIN_LIMIT, cookie)
    assert line.startswith("HTTP/1.1 413") or line == "", line
