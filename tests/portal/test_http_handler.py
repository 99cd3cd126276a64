"""Under the ASGI server a request's middleware and view run in one call in one thread, as under
WSGI, rather than each middleware method handed between the event loop and a thread; at most
WEB_THREADS requests of a process run at once."""

import asyncio
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.testing import ApplicationCommunicator
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.deprecation import MiddlewareMixin

from portal.http_handler import OneThreadASGIHandler


class Outermost(MiddlewareMixin):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response["X-Outermost"] = "seen"
        return response


def view(request: HttpRequest) -> HttpResponse:
    """Answers whether the outermost middleware is still on this thread's stack, waiting for it."""
    frame = sys._getframe()
    callers = []
    while frame is not None:
        callers.append(frame.f_locals.get("self"))
        frame = frame.f_back
    return HttpResponse(str(any(isinstance(caller, Outermost) for caller in callers)))


running = {"now": 0, "most": 0}
counting = threading.Lock()


def slow_view(request: HttpRequest) -> HttpResponse:
    with counting:
        running["now"] += 1
        running["most"] = max(running["most"], running["now"])
    time.sleep(0.05)
    with counting:
        running["now"] -= 1
    return HttpResponse("done")


urlpatterns = [path("here", view), path("slow", slow_view)]


async def answer(scope: dict, handler: OneThreadASGIHandler | None = None) -> tuple[dict, dict]:
    communicator = ApplicationCommunicator(handler or OneThreadASGIHandler(), scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    return await communicator.receive_output(timeout=10), await communicator.receive_output(timeout=10)


def test_the_view_runs_inside_the_middleware_chain_in_one_thread(settings):
    settings.ROOT_URLCONF = __name__
    settings.MIDDLEWARE = [f"{__name__}.Outermost", "django.middleware.common.CommonMiddleware"]
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/here",
        "query_string": b"",
        "headers": [(b"host", b"localhost")],
    }
    # A thread of its own: its event loop must not meet one a browser test left running in this one.
    with ThreadPoolExecutor(1) as thread:
        start, body = thread.submit(asyncio.run, answer(scope)).result()
    assert start["status"] == 200 and (b"X-Outermost", b"seen") in start["headers"]
    assert body["body"] == b"True"


def test_a_process_runs_at_most_web_threads_requests_at_once(settings):
    settings.ROOT_URLCONF = __name__
    settings.MIDDLEWARE = []
    settings.WEB_THREADS = 3
    scope = {"type": "http", "method": "GET", "path": "/slow", "query_string": b"", "headers": []}

    async def many() -> list:
        handler = OneThreadASGIHandler()
        return await asyncio.gather(*(answer(scope, handler) for _ in range(12)))

    running.update(now=0, most=0)
    with ThreadPoolExecutor(1) as thread:
        answers = thread.submit(asyncio.run, many()).result()
    assert [body["body"] for _start, body in answers] == [b"done"] * 12  # every request answered
    assert running["most"] == 3
