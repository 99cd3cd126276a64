"""A stand-in for Rasa's HTTP API, for portal tests that must see what the portal does when the bot
answers, fails, hangs or talks nonsense. The real bot is tested in tests/stack and chatbot/."""

import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# What the real Rasa is started with (chatbot/scripts/serve.sh --auth-token); tests put it in
# settings.RASA_AUTH_TOKEN, so a request the portal sends without it is refused as Rasa would.
TOKEN = "stand-in-rasa-token"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up waiting (the timeout tests) closed its socket: expected


class RasaStandIn:
    """Listens on a free port and answers every POST with `status` and `reply(request body)` (bytes
    as they are, anything else as JSON), after `delay` seconds; a request without `?token=TOKEN`
    gets Rasa's 401 instead. What it was sent is kept in `received` as {"path", "json"} (the path
    without its query)."""

    def __init__(self, reply: Callable[[dict], object]):
        self.token = TOKEN
        self.reply = reply
        self.status = 200
        self.delay = 0.0
        self.received: list[dict] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                url = urlsplit(self.path)
                if parse_qs(url.query).get("token") != [stand_in.token]:
                    self.answer(401, {"status": "failure", "reason": "NotAuthenticated", "code": 401})
                    return
                stand_in.received.append({"path": url.path, "json": body})
                time.sleep(stand_in.delay)
                answer = stand_in.reply(body)  # may change the status
                self.answer(stand_in.status, answer)

            def answer(self, status: int, answer: object):
                payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    """A port nothing listens on: connecting is refused, as when the bot has crashed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
