"""The portal's URLs plus `/benchmark/bare-post`: a plain Django view (no DRF) that decodes a JSON
body and inserts it as one row. It runs behind the same server, ASGI handler and middleware as the
portal's API, so "filing a complaint" can be compared with "writing one row" in one run. Loaded
only by tests.benchmarks.settings."""

import json

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal import urls as portal_urls

BARE_TABLE = "benchmark_bare_post"
BARE_PATH = "/benchmark/bare-post"


def bare_table_create() -> None:
    """The table the bare POST writes to (the benchmark makes it; no migration knows it)."""
    key = "bigserial PRIMARY KEY" if connection.vendor == "postgresql" else "integer PRIMARY KEY AUTOINCREMENT"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id {key}, payload text NOT NULL)")


def bare_rows(marker: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {BARE_TABLE} WHERE payload LIKE %s", [f"%{marker}%"])
        return cursor.fetchone()[0]


@csrf_exempt  # as DRF's views are for clients that do not use the session
@require_POST
def bare_post(request: HttpRequest) -> HttpResponse:
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BARE_TABLE} (payload) VALUES (%s)", [json.dumps(payload, ensure_ascii=False)])
    return JsonResponse({"stored": True}, status=201)


urlpatterns = [path(BARE_PATH.lstrip("/"), bare_post), *portal_urls.urlpatterns]
handler500 = portal_urls.handler500
