"""Under the ASGI server a request's middleware and view run in one call in one thread, as under
WSGI, rather than each middleware method handed between the event loop and a thread."""

import asyncio
import sys
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


urlpatterns = [path("here", view)]


async def answer(scope: dict) -> tuple[dict, dict]:
    communicator = ApplicationCommunicator(OneThreadASGIHandler(), scope)
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
