"""The page cache: public HTML rendered once for every anonymous visitor, until something it shows changes.

A page is kept (in the cache named PAGE_CACHE in settings.CACHES: a folder of files on the embedded
default, Redis in production) under its address (scheme, host, path, query) and language, only when
nothing in it can belong to one visitor: a 200 GET of HTML, rendered for a request that carried no
cookie but the language and CSRF ones, whose view set no cookie, used no CSRF token, read no session
and showed no message, and did not set Cache-Control or Vary itself (a view that shows something of
the visitor's own some other way says so with Cache-Control: private). Signed-in users are never
served a kept page and never keep one.

Invalidation is coarse and safe: every kept page records the generation of each scope it shows (the
site: pages, alerts, the city, datasets; the cases: complaints, which change with every filing) as it
was *before* the page was rendered. A change to anything a scope covers gives the scope a new
generation once the change is committed (portal/apps.py connects the signals), so a page rendered
from rows older than the change is never served again, whichever process or server kept it. A page
also expires when an alert's display window or a closure begins or ends, at local midnight (due
dates count from today) and after the cache's TIMEOUT, which bounds how long a lost invalidation
(the cache unreachable while an editor published) can show. A page that prints live numbers with
their time (free parking spaces) is kept no longer than the seconds its view sets on the response
as `page_cache_seconds`, so that even a reader without JavaScript sees them at most that much late.

When the cache cannot be reached every request is a miss and pages are rendered as before.
"""

import hashlib
import math
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from apps.places.selectors import closures_next_change
from content.selectors import site_alerts_next_change

PAGE_CACHE = "pages"  # the alias in settings.CACHES; without one, every page is rendered every time
SITE = "site"
CASES = "cases"
SCOPES = (SITE, CASES)
# URL namespaces whose pages show a scope besides the site's; every other page shows the site's only.
SCOPES_BY_NAMESPACE = {"complaints": (SITE, CASES)}
# How long a browser or a proxy may reuse a page without asking; the alerts socket brings a page
# opened from such a copy up to date (content/consumers.py).
BROWSER_MAX_AGE = 60
# Cookies a request may carry and still keep its page for everyone: the language (the key has it) and
# the CSRF cookie (a page that uses the token is not kept). A session, or any other cookie a view
# might read, and the page is rendered for that visitor alone.
SHAREABLE_COOKIES = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
# The Wagtail admin keeps its own headers; its pages are never public.
UNCACHED_PREFIXES = ("/admin/",)
KEY_VERSION = 1  # bumped when the stored entry's shape changes


def _cache() -> BaseCache | None:
    return caches[PAGE_CACHE] if PAGE_CACHE in settings.CACHES else None


def _generation_key(scope: str) -> str:
    return f"generation:{scope}"


def new_generations(*scopes: str) -> None:
    """Makes every kept page that shows these scopes stale, now."""
    if (cache := _cache()) is not None:
        if len(scopes) == 1:  # one command, not a MULTI/EXEC pipeline around it
            cache.set(_generation_key(scopes[0]), uuid.uuid4().hex, timeout=None)
        else:
            cache.set_many({_generation_key(scope): uuid.uuid4().hex for scope in scopes}, timeout=None)


def invalidate(*scopes: str) -> None:
    """Makes every kept page that shows these scopes stale once the change is committed: at once
    outside a transaction; inside one, when it commits, once for each scope however many rows it
    changed (a filing saves three). Renewing before the commit too would buy nothing: a page
    rendered in between read the rows from before the change and recorded the generation that the
    commit then renews. A transaction that is never committed (the one a test case runs each test
    in) renews at once, or its changes would never be seen."""
    connection = transaction.get_connection()
    if not _committed_later(connection):
        new_generations(*scopes)
        return
    # Django keeps the open transaction's callbacks as (savepoints, callable, robust). A renewal
    # registered inside a savepoint that is rolled back goes with it; the next change registers anew.
    renewal = next((entry[1] for entry in connection.run_on_commit if isinstance(entry[1], _Renewal)), None)
    if renewal is None:
        renewal = _Renewal()
        transaction.on_commit(renewal)
    renewal.scopes.update(scopes)


def _committed_later(connection) -> bool:
    """Whether a change made now becomes visible only when an open transaction commits. Django marks
    the transactions its test cases open around each test, which are rolled back, never committed."""
    return connection.in_atomic_block and not getattr(connection.atomic_blocks[0], "_from_testcase", False)


class _Renewal:
    """The scopes one transaction changed, renewed together once it commits."""

    def __init__(self) -> None:
        self.scopes: set[str] = set()

    def __call__(self) -> None:
        new_generations(*sorted(self.scopes))


def invalidate_site(**kwargs) -> None:
    """A signal receiver: something every page may show changed."""
    invalidate(SITE)


class PageCacheMiddleware:
    """Answers anonymous GETs of kept pages before any view runs; keeps what may be shared.

    Sits after the session, authentication and message middleware (it asks whether the visitor is
    signed in and whether a page showed messages) and before the rest, so the language cookie, the
    security and CSP headers are still added to every answer by the middleware around it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cache = _cache()
        if cache is None or request.method not in ("GET", "HEAD") or request.path_info.startswith(UNCACHED_PREFIXES):
            return self.get_response(request)
        if _signed_in(request):
            return _private(self.get_response(request), signed_in=True)
        key = _page_key(request)
        found = cache.get_many([key, *(_generation_key(scope) for scope in SCOPES)])
        generations = {scope: found.get(_generation_key(scope)) for scope in SCOPES}
        entry = found.get(key)
        if entry is not None and all(generations[scope] == seen for scope, seen in entry["generations"].items()):
            return _from_entry(request, entry)
        response = self.get_response(request)
        if request.method != "GET" or not _html(response):
            return response
        if not _shareable(request, response):
            return _private(response, signed_in=False)
        lifetime = min(_lifetime(cache), getattr(response, "page_cache_seconds", math.inf))
        scopes = SCOPES_BY_NAMESPACE.get(request.resolver_match.namespace, (SITE,))
        if lifetime > 0 and _known(cache, generations, scopes):
            set_response_etag(response)
            entry = {
                "content": response.content,
                "headers": dict(response.headers),
                "generations": {scope: generations[scope] for scope in scopes},
                "expires": time.time() + lifetime,
            }
            cache.set(key, entry, timeout=lifetime)
            _public(response, lifetime)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response


def _signed_in(request: HttpRequest) -> bool:
    # Without a session cookie nobody is signed in, and the session is not even looked up.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def _page_key(request: HttpRequest) -> str:
    # The host and scheme too: one install serves several cities' sites, and pages link absolutely.
    address = f"{request.build_absolute_uri()}|{translation.get_language()}"
    return f"page:{KEY_VERSION}:{hashlib.sha256(address.encode()).hexdigest()}"


def _html(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the page, as rendered, is the same for every anonymous visitor."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and set(request.COOKIES) <= SHAREABLE_COOKIES
        and not (session is not None and (session.accessed or session.modified))
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a form with this visitor's token
        and not getattr(get_messages(request), "used", False)
        and not response.has_header("Cache-Control")  # the view decided (never_cache, private)
        and not response.has_header("Vary")
        and request.resolver_match is not None
    )


def _known(cache: BaseCache, generations: dict[str, str | None], scopes: Iterable[str]) -> bool:
    """Whether each scope has a generation to record; a missing one (the first request, an evicted
    key) is created here. False when that cannot be done now (the cache unreachable, or another
    request creating it at the same moment): the page is then not kept this time."""
    for scope in scopes:
        if generations[scope] is None:
            generation = uuid.uuid4().hex
            if not cache.add(_generation_key(scope), generation, timeout=None):
                return False
            generations[scope] = generation
    return True


def _lifetime(cache: BaseCache) -> float:
    """Seconds a page may be kept: the cache's TIMEOUT, cut short by the next alert or closure to
    begin or end and by local midnight."""
    now = timezone.now()
    ends = [now + timedelta(seconds=cache.default_timeout or 0), _next_midnight(now)]
    for change in (site_alerts_next_change(at=now), closures_next_change(at=now)):
        if change is not None:
            ends.append(change)
    return (min(ends) - now).total_seconds()


def _next_midnight(now: datetime) -> datetime:
    today = timezone.localtime(now).date()
    return timezone.make_aware(datetime.combine(today + timedelta(days=1), datetime.min.time()))


def _public(response: HttpResponse, lifetime: float) -> None:
    patch_cache_control(response, public=True, max_age=max(0, int(min(BROWSER_MAX_AGE, lifetime))))


def _private(response: HttpResponse, *, signed_in: bool) -> HttpResponse:
    """Per-visitor HTML is for this browser alone. A signed-in user's is not stored at all; an
    anonymous visitor's (a form with its CSRF token) may be, so the back button keeps what was typed,
    but is asked for again before reuse."""
    if _html(response) and not response.has_header("Cache-Control"):
        if signed_in:
            patch_cache_control(response, private=True, no_store=True)
        else:
            patch_cache_control(response, private=True, no_cache=True)
    return response


def _from_entry(request: HttpRequest, entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], headers=entry["headers"])
    _public(response, entry["expires"] - time.time())
    return get_conditional_response(request, etag=response["ETag"], response=response)
