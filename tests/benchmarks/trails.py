"""Trails: what a marker page (the page a QR scan opens) costs a phone to load, first visit and
repeat visit, and the server's time for the trails list, a trail page and a marker page, with the
nine demo courses and 100 markers.

    .venv/bin/python -m tests.benchmarks.trails [--requests 100]

Runs in this process against the database `manage.py prepare` seeded (bin/bench: a throw-away one),
adding markers along the courses until there are 100. Bytes are counted as a phone receives them
before any map or photo: the HTML (gzip-compressed, as the proxy in front sends it; Django itself
does not compress), and every style sheet, script, icon sprite, font and the service worker it
pulls in, as WhiteNoise serves them (Brotli or gzip copies), with their headers. The repeat visit
is a visit after the page's own max-age (60 s): static files are fingerprinted and cached for a
year, so the browser asks for nothing but the page, which answers 304 to its ETag; a trail saved
for offline use is answered by the service worker without any request at all.

Server time: the page cache answers most visitors (kept pages), so both are measured: rendered
(the page cache left out) and from the page cache. Records the issue's goal row "at most 100 KB
transferred before the map and photos" (tests/benchmarks/report.py).
"""

import argparse
import gzip
import re
import time
from urllib.parse import urljoin, urlsplit

from tests.benchmarks.report import record
from tests.benchmarks.web import django_setup, percentile

MARKERS = 100
GOAL_BYTES = 100 * 1024
HOST = "127.0.0.1"
# Loaded after the page is usable: the map library (and its tiles) and photos are not counted.
AFTER_FIRST_VIEW = re.compile(r"/vendor/leaflet/|\.(jpe?g|png|webp|avif)(\?|$)")
SUBRESOURCE = re.compile(
    r"""<(?:link[^>]+rel="(?:stylesheet|icon|manifest|preload|modulepreload)"[^>]*href|script[^>]+src|use[^>]+href)="([^"#]+)"""
)
CSS_URL = re.compile(r"""url\(["']?([^"')#]+)""")


def markers_up_to(total: int) -> int:
    """Adds numbered markers along the demo courses (Korean pages, through the editor's services and
    a publish) until the trails have `total`; returns how many there are."""
    from apps.trails import services
    from apps.trails.models import TrailMarker, TrailPage

    trails = list(TrailPage.objects.filter(locale__language_code="ko").exclude(track=[]).order_by("course_number"))
    missing = total - TrailMarker.objects.filter(page__in=trails).count()
    for position, trail in enumerate(trails):
        extra = missing // len(trails) + (1 if position < missing % len(trails) else 0)
        if extra <= 0:
            continue
        markers = list(trail.markers.all())
        last = max((marker.number for marker in markers), default=0)
        rows = trail.track
        for step in range(1, extra + 1):
            row = rows[min(len(rows) - 1, step * len(rows) // (extra + 1))]
            markers.append(
                TrailMarker(
                    number=last + step,
                    name_ko=f"안내 지점 {last + step}",
                    name_en=f"Waypoint {last + step}",
                    text_ko="벤치마크용 안내 지점이에요.",
                    text_en="A waypoint added by the benchmark.",
                    latitude=row[0],
                    longitude=row[1],
                )
            )
        trail.markers = markers
        services.trail_markers_prepare(trail, site_page=trail)
        trail.save_revision().publish()
    return TrailMarker.objects.filter(page__in=trails).count()


def header_bytes(response) -> int:
    return len("HTTP/1.1 200 OK\r\n") + sum(len(name) + len(value) + 4 for name, value in response.items()) + 2


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def subresources(client, page_url: str, html: str) -> dict[str, tuple[object, int]]:
    """Every file the page pulls in before the map and photos (style sheets' fonts and images too),
    as served with compression, by path: the response and the bytes it took."""
    html = re.sub(r"<noscript>.*?</noscript>", "", html, flags=re.DOTALL)  # not fetched with scripts on
    found: dict[str, tuple[object, int]] = {}
    pending = [urljoin(page_url, url) for url in SUBRESOURCE.findall(html)]
    worker = re.search(r'data-service-worker="([^"]+)"', html)
    if worker:
        pending.append(urljoin(page_url, worker.group(1)))
    while pending:
        url = pending.pop()
        path = urlsplit(url).path
        if path in found or AFTER_FIRST_VIEW.search(path) or urlsplit(url).netloc not in ("", HOST):
            continue
        response = client.get(path, HTTP_ACCEPT_ENCODING="br, gzip")
        found[path] = (response, header_bytes(response) + len(body(response)))
        if response.status_code == 200 and path.endswith(".css"):
            css = body(client.get(path))  # the plain copy, to read its url(...)s
            pending += [urljoin(url, ref) for ref in CSS_URL.findall(css.decode("utf-8", "replace"))]
    return found


def fresh_for_a_day(response) -> bool:
    match = re.search(r"max-age=(\d+)", response.get("Cache-Control", ""))
    return bool(match) and int(match.group(1)) >= 86400


def transfer(client, url: str) -> None:
    page = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
    assert page.status_code == 200, (url, page.status_code)
    html = page.content
    html_bytes = header_bytes(page) + len(gzip.compress(html, compresslevel=6))
    files = subresources(client, url, html.decode())
    file_bytes = {path: size for path, (_response, size) in files.items()}
    first = html_bytes + sum(file_bytes.values())
    print(f"  marker page {url}, first visit:", flush=True)
    print(f"    HTML {len(html):,} bytes, {html_bytes:,} transferred (gzip -6, with headers)")
    for path, size in sorted(file_bytes.items(), key=lambda item: -item[1]):
        print(f"    {path}: {size:,}")
    print(f"    total {first:,} bytes ({first / 1024:.1f} KB) before the map and photos", flush=True)

    revalidated = client.get(url, HTTP_IF_NONE_MATCH=page["ETag"]) if page.has_header("ETag") else page
    asked_again = [path for path, (response, _size) in files.items() if not fresh_for_a_day(response)]
    again = {path: client.get(path, HTTP_ACCEPT_ENCODING="br, gzip") for path in asked_again}
    repeat = (
        header_bytes(revalidated)
        + len(body(revalidated))
        + sum(header_bytes(response) + len(body(response)) for response in again.values())
    )
    print(
        f"  repeat visit after the page's max-age: page answered {revalidated.status_code}, "
        f"{len(files) - len(asked_again)} of {len(files)} files from the browser cache, "
        f"{repeat:,} bytes transferred; within the max-age, or from the service worker for a saved trail: 0",
        flush=True,
    )
    record(
        measure="marker page, bytes transferred before the map and photos (first visit)",
        ours=f"{first / 1024:.1f} KB",
        reference=f"repeat visit {repeat / 1024:.1f} KB ({revalidated.status_code} and cached files)",
        result=f"{first / 1024:.1f} KB",
        goal="<= 100 KB",
        met=first <= GOAL_BYTES,
    )


def server_times(client, urls: dict[str, str], requests: int) -> dict[tuple[str, str], tuple[float, float]]:
    """Prints and returns each page's (p50, p95) in ms by (name, "rendered" | "from the page cache")."""
    from django.conf import settings
    from django.test import override_settings

    without_page_cache = {alias: value for alias, value in settings.CACHES.items() if alias != "pages"}
    found = {}
    for label, overrides in (("rendered", {"CACHES": without_page_cache}), ("from the page cache", {})):
        with override_settings(**overrides):
            for name, url in urls.items():
                client.get(url)  # warm: templates loaded, the page kept
                timings = []
                for _ in range(requests):
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
                print(
                    f"  {name} ({label}): p50 {percentile(timings, 0.5):.1f} ms, "
                    f"p95 {percentile(timings, 0.95):.1f} ms over {requests} requests",
                    flush=True,
                )
                found[name, label] = percentile(timings, 0.5), percentile(timings, 0.95)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100, help="requests per page and mode")
    args = parser.parse_args()
    django_setup()
    from django.test import Client

    from apps.trails.models import TrailPage

    count = markers_up_to(MARKERS)
    trail = TrailPage.objects.filter(locale__language_code="ko", course_number=1).first()
    marker = trail.markers.select_related("place").order_by("number").first()
    trails_count = TrailPage.objects.filter(locale__language_code="ko").live().count()
    print(f"  {trails_count} trails, {count} markers", flush=True)
    client = Client(HTTP_HOST=HOST)
    marker_url = trail.url + trail.reverse_subpage("marker", args=[marker.place.code])
    transfer(client, marker_url)
    server_times(
        client,
        {"trails list": trail.get_parent().url, "trail page": trail.url, "marker page": marker_url},
        args.requests,
    )


if __name__ == "__main__":
    main()
