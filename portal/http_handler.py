"""Django's ASGI handler, running each request's middleware and view in one thread.

Django serves a request under ASGI in async mode: every synchronous middleware method (the
portal's, Django's, Wagtail's) and the view are each handed to a thread and back to the event loop,
about a dozen hops per request, each one queued on the loop behind every other request's. Under
load that queue, not the work, was most of a request's time (decision 0022). All of the portal's
middleware and views are synchronous, so this handler runs the whole chain as WSGI does, in one
hop: Django's own synchronous request path, in the request's own thread, with a bounded number of
requests running at once, as a WSGI server's thread pool has.
"""

import asyncio

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class OneThreadASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        # At most WEB_THREADS requests run at once; the others wait on the event loop, which costs
        # nothing. Without a bound every open request got a thread of its own, and 50 threads
        # taking turns at the interpreter lock spent the CPU the requests needed (decision 0022).
        self._running = asyncio.Semaphore(settings.WEB_THREADS)

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        # thread_sensitive: the thread ASGIHandler gives this request, as for any synchronous view.
        async with self._running:
            return await sync_to_async(self.get_response, thread_sensitive=True)(request)
