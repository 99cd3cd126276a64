"""Faults against the production stack while residents file and chat; prints what they got.

Run by bin/chaos, which starts a throw-away PostgreSQL and Redis and prepares the database. This
script starts each Procfile process itself (so that it can kill one and start it again) and, one
at a time: stops Redis, kills Rasa in the middle of a report, kills the worker in the middle of
sending a notification, and restarts PostgreSQL. For each it prints what was stored, what was sent
and what a resident was shown, with timings.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote_plus

import requests
import websockets

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS: list[tuple[str, str, str]] = []  # (fault, what, outcome)


def report(fault: str, what: str, outcome: str) -> None:
    RESULTS.append((fault, what, outcome))
    print(f"  {what}: {outcome}", flush=True)


class SlowSmsSender:
    """Takes CHAOS_SMS_SECONDS to send, so a worker can be killed mid-send; records what it sent."""

    def send(self, phone: str, text: str) -> None:
        time.sleep(float(os.environ.get("CHAOS_SMS_SECONDS", "0")))
        with open(Path(os.environ["VAR_DIR"]) / "sms-sent.log", "a", encoding="utf-8") as sent:
            sent.write(json.dumps({"phone": phone[-4:], "first_line": text.splitlines()[0]}) + "\n")


class Stack:
    """The Procfile's processes, each started and stopped on its own."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.commands = dict(
            line.split(":", 1) for line in (BASE_DIR / "Procfile").read_text().splitlines() if ":" in line
        )
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = Path(env["VAR_DIR"]) / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.url = f"http://127.0.0.1:{env['WEB_PORT']}"

    def start(self, name: str) -> None:
        self.processes[name] = subprocess.Popen(
            ["bash", "-c", f"exec {self.commands[name].strip()}"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=(self.logs / f"{name}.log").open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def ready(self, timeout: float) -> tuple[bool, dict]:
        deadline, body = time.monotonic() + timeout, {}
        while time.monotonic() < deadline:
            try:
                response = requests.get(f"{self.url}/readyz", timeout=5)
                body = response.json()
                if response.status_code == 200:
                    return True, body
            except (requests.RequestException, ValueError):
                pass
            time.sleep(1)
        return False, body


def timed_get(url: str) -> str:
    started = time.monotonic()
    try:
        response = requests.get(url, timeout=30)
        outcome = str(response.status_code)
    except requests.RequestException as error:
        outcome = error.__class__.__name__
    return f"{outcome} in {time.monotonic() - started:.2f} s"


def file_case(stack: Stack, key: str, description: str) -> tuple[str, str]:
    """A streetlight case with a phone number, filed through the API as a partner app would."""
    started = time.monotonic()
    try:
        response = requests.post(
            f"{stack.url}/api/v1/complaints/",
            json={
                "category": "streetlight",
                "description": description,
                "channel": "api",
                "latitude": 37.7381,
                "longitude": 127.0337,
                "attributes": {"light_state": "off"},
                "contact": {"phone": "010-2345-6789"},
            },
            headers={"Authorization": f"Token {key}"},
            timeout=60,
        )
        outcome = response.status_code
        number = response.json().get("number", "") if response.ok else ""
    except requests.RequestException as error:
        outcome, number = error.__class__.__name__, ""
    return number, f"{outcome} in {time.monotonic() - started:.2f} s"


def notifications_of(number: str) -> list[str]:
    from apps.complaints.models import Notification

    return list(
        Notification.objects.filter(event__complaint__number=number).order_by("pk").values_list("state", flat=True)
    )


async def chat(stack: Stack, messages: list[str], conversation: str | None = None) -> tuple[str, list[str]]:
    """Says each message in one widget session; returns the conversation id and what came back."""
    shown = []
    ws_url = stack.url.replace("http", "ws", 1) + "/ws/chat/"
    async with websockets.connect(ws_url, origin=stack.env["SITE_URL"], open_timeout=10) as socket:
        await socket.send(json.dumps({"type": "hello", "conversation": conversation, "language": "ko"}))
        welcome = json.loads(await asyncio.wait_for(socket.recv(), 10))
        for message in messages:
            await socket.send(json.dumps({"type": "message", "text": message}))
            while True:
                answer = json.loads(await asyncio.wait_for(socket.recv(), 30))
                if answer["type"] == "typing":
                    continue
                if answer["type"] == "bot":
                    parts = [m.get("text") or "" for m in answer["messages"]]
                    parts += [f"[{b['title']}]" for m in answer["messages"] for b in m.get("buttons") or []]
                    shown.append(" ".join(filter(None, parts))[:160])
                else:
                    link = unquote_plus(answer.get("report_url", ""))
                    shown.append(f"[{answer['type']} {answer.get('code', '')}] form: {link}")
                break
    return welcome["conversation"], shown


def stored_chat(conversation_text: str) -> bool:
    from apps.chat.models import Message

    return Message.objects.filter(sender="resident", text=conversation_text).exists()


def redis_down(stack: Stack, key: str, seconds: int) -> None:
    fault = "Redis down"
    print(f"\n== {fault} for {seconds} s", flush=True)
    port = stack.env["REDIS_URL"].rsplit(":", 1)[1].split("/")[0]
    subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], capture_output=True)
    stopped = time.monotonic()
    report(fault, "home page", timed_get(f"{stack.url}/ko/"))
    report(fault, "report form", timed_get(f"{stack.url}/ko/complaints/report/"))
    number, outcome = file_case(stack, key, "가로등이 꺼졌어요 (Redis 중단 중)")
    report(fault, "API filing with a phone number", f"{outcome}, case {number or 'not filed'}")
    text = "보안등이 깜빡거려요 (Redis 중단 중)"
    try:
        _, shown = asyncio.run(chat(stack, [text]))
    except Exception as error:  # noqa: BLE001 - what the resident saw is the result
        shown = [f"socket failed: {error.__class__.__name__}"]
    report(fault, "chat message stored", str(stored_chat(text)))
    report(fault, "chat answer shown", shown[-1] if shown else "nothing")
    time.sleep(max(0, seconds - (time.monotonic() - stopped)))
    subprocess.run(
        [
            "redis-server",
            "--port",
            port,
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--dir",
            stack.env["VAR_DIR"],
        ],
        check=True,
        capture_output=True,
    )
    started = time.monotonic()
    ready, body = stack.ready(180)
    report(
        fault,
        "/readyz after Redis came back",
        f"{'ok' if ready else body.get('status')} after {time.monotonic() - started:.0f} s",
    )
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and number and set(notifications_of(number)) != {"sent"}:
        time.sleep(5)
    report(fault, "notifications of that case", f"{notifications_of(number)} {time.monotonic() - started:.0f} s after")


def rasa_killed(stack: Stack) -> None:
    fault = "Rasa killed mid-report"
    print(f"\n== {fault}", flush=True)
    conversation, shown = asyncio.run(chat(stack, ["의정부역 앞 가로등이 꺼졌어요"]))
    report(fault, "bot before the kill", shown[-1])
    stack.kill("rasa")
    _, shown = asyncio.run(chat(stack, ["의정부역 2번 출구 앞이에요"], conversation))
    report(fault, "shown while Rasa is down", shown[-1])
    stack.start("rasa")
    started = time.monotonic()
    ready, _ = stack.ready(240)
    report(fault, "Rasa back", f"{ready} after {time.monotonic() - started:.0f} s")
    _, shown = asyncio.run(chat(stack, ["의정부역 2번 출구 앞이에요"], conversation))
    report(fault, "bot after the restart (the report goes on?)", shown[-1])


def worker_killed(stack: Stack, key: str) -> None:
    fault = "worker killed mid-send"
    print(f"\n== {fault}", flush=True)
    number, outcome = file_case(stack, key, "가로등이 꺼졌어요 (작업자 중단 시험)")
    report(fault, "filed", f"{outcome}, case {number}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "sending" not in notifications_of(number):
        time.sleep(0.5)
    states = notifications_of(number)
    stack.kill("worker")
    report(fault, "killed the worker while notifications were", str(states))
    stack.start("worker")
    started = time.monotonic()
    deadline = started + float(stack.env["NOTIFICATION_SEND_LEASE_SECONDS"]) + 240
    while time.monotonic() < deadline and set(notifications_of(number)) != {"sent"}:
        time.sleep(5)
    report(
        fault,
        "notifications after a new worker",
        f"{notifications_of(number)} {time.monotonic() - started:.0f} s after",
    )
    sent_log = Path(stack.env["VAR_DIR"]) / "sms-sent.log"
    sent = sent_log.read_text().count(number) if number and sent_log.exists() else 0
    report(fault, "SMS messages that went out for the case", str(sent))


def postgres_restart(stack: Stack, key: str, pg_ctl: str, seconds: int) -> None:
    fault = "PostgreSQL restart"
    print(f"\n== {fault} ({seconds} s down)", flush=True)
    subprocess.run(["bash", "-c", pg_ctl.replace("{action}", "stop -m fast")], check=True, capture_output=True)
    started = time.monotonic()
    try:
        response = requests.get(f"{stack.url}/readyz", timeout=30)
        report(
            fault,
            "/readyz while down",
            f"{response.status_code} {response.json().get('down')} in {time.monotonic() - started:.2f} s",
        )
    except requests.RequestException as error:
        report(fault, "/readyz while down", f"{error.__class__.__name__} after {time.monotonic() - started:.2f} s")
    report(fault, "home page while down", timed_get(f"{stack.url}/ko/"))
    time.sleep(max(0, seconds - (time.monotonic() - started)))
    subprocess.run(["bash", "-c", pg_ctl.replace("{action}", "start")], check=True, capture_output=True)
    from django.db import connections

    connections.close_all()
    number, outcome = file_case(stack, key, "가로등이 꺼졌어요 (DB 재시작 후)")
    report(fault, "first filing after the restart", f"{outcome}, case {number}")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and set(notifications_of(number)) != {"sent"}:
        time.sleep(2)
    report(fault, "its notifications (the worker's first task)", str(notifications_of(number)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-outage", type=int, default=60, help="seconds Redis stays down")
    parser.add_argument("--postgres-outage", type=int, default=30, help="seconds PostgreSQL stays down")
    parser.add_argument(
        "--pg-ctl", required=True, help="the test server's pg_ctl command, with {action} for start/stop"
    )
    parser.add_argument(
        "--only", choices=["redis", "rasa", "worker", "postgres"], action="append", help="these faults alone"
    )
    options = parser.parse_args()

    env = {
        **os.environ,
        "SMS_SENDER": "tests.chaos.SlowSmsSender",
        "CHAOS_SMS_SECONDS": "0",
        "NOTIFICATION_SEND_LEASE_SECONDS": "60",
        "CELERY_VISIBILITY_TIMEOUT": "60",
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.setdefault("SITE_URL", f"http://127.0.0.1:{env['WEB_PORT']}")
    env["RASA_URL"] = f"http://127.0.0.1:{env['RASA_PORT']}"
    env["RASA_ACTIONS_URL"] = f"http://127.0.0.1:{env['ACTION_PORT']}"
    env["PORTAL_URL"] = env["SITE_URL"]
    os.environ.update(env)
    import django

    django.setup()
    key = (
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "create_api_client",
                "chaos partner app",
                "--consent-purpose",
                "처리 결과 안내",
            ],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .rsplit(": ", 1)[1]
    )

    stack = Stack(env)
    try:
        for name in ("web", "worker", "beat", "rasa", "actions"):
            stack.start(name)
        ready, body = stack.ready(420)
        if not ready:
            sys.exit(f"the stack never became ready: {body}")
        faults = options.only or ["redis", "rasa", "worker", "postgres"]
        if "redis" in faults:
            redis_down(stack, key, options.redis_outage)
        if "rasa" in faults:
            rasa_killed(stack)
        if "worker" in faults:
            # Slow sends for this one, so that the kill lands mid-send.
            stack.kill("worker")
            stack.env["CHAOS_SMS_SECONDS"] = "15"
            stack.start("worker")
            worker_killed(stack, key)
            stack.kill("worker")
            stack.env["CHAOS_SMS_SECONDS"] = "0"
            stack.start("worker")
        if "postgres" in faults:
            postgres_restart(stack, key, options.pg_ctl, options.postgres_outage)
    finally:
        stack.stop_all()
    print("\n| fault | what | outcome |\n|---|---|---|")
    for fault, what, outcome in RESULTS:
        print(f"| {fault} | {what} | {re.sub(r'[|]', '/', outcome)} |")


if __name__ == "__main__":
    main()
