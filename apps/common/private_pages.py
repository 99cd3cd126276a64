"""Pages reached only by a private link (a token in the address): a resident's booking, a
contribution's tracking page. Never stored by anyone, their address never sent to another site as a
Referer, and the same 404 for every wrong token or id, so nothing tells a wrong token from a wrong
id, nor says whose they are."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

View = Callable[..., HttpResponse]


def private_page(not_found_template: str) -> Callable[[View], View]:
    """The view's answers are private; its 404 is `not_found_template`, whatever raised it."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = render(request, not_found_template, status=404)
            # Not "no-referrer": a browser then sends `Origin: null` with the page's own forms, and
            # Django's CSRF check refuses them. Same-origin keeps the token on this site only.
            response["Referrer-Policy"] = "same-origin"
            return response

        return never_cache(wrapped)

    return decorate
