"""The archive's IIIF services as a viewer uses them, through the web server: tiles of a scan-sized
image (6000 x 4000) cold (made from the scan) and warm (from the tile cache), and the manifest of a
300-page document, both its generation alone and its answer over HTTP.

    .venv/bin/python -m tests.benchmarks.archive

Runs against the database of DATABASE_URL (SQLite without), with a throw-away tile cache; the items
it adds are removed at the end. `bin/bench archive` runs it on SQLite and on PostgreSQL.
"""

import os
import statistics
import tempfile
import time
from io import BytesIO

import requests

from tests.benchmarks.report import record
from tests.benchmarks.web import django_setup, percentile, web_server

SCAN_SIZE = (6000, 4000)
PAGES = 300
TILE = 512
GOAL_WARM_P95_MS = 50
GOAL_COLD_P95_MS = 1000
GOAL_MANIFEST_MS = 500


def _tile_regions(width: int, height: int) -> list[tuple[str, str]]:
    """(region, size) as Mirador asks at three zoom levels: the whole image, then 2048- and 1024-pixel
    squares shown 512 pixels wide."""
    regions = [("full", f"{TILE},")]
    for square in (2048, 1024):
        for x in range(0, width, square):
            for y in range(0, height, square):
                w, h = min(square, width - x), min(square, height - y)
                regions.append((f"{x},{y},{w},{h}", f"{max(1, round(TILE * w / square))},"))
    return regions


def main() -> None:
    cache_dir = tempfile.mkdtemp(prefix="iiif-bench-")
    os.environ["ARCHIVE_IIIF_CACHE_DIR"] = cache_dir
    django_setup()
    from django.conf import settings
    from PIL import Image

    from apps.archive import manifests, services
    from apps.archive.licences import LicenceCode
    from apps.archive.models import Item, ItemMedia
    from apps.municipalities.models import Municipality

    city = Municipality.objects.get(code=settings.DEFAULT_MUNICIPALITY)
    Item.objects.filter(municipality=city, identifier__startswith="BENCH-").delete()
    common = {"municipality": city, "licence": LicenceCode.KOGL_1, "rights_holder_ko": "벤치마크"}
    scan_item = services.item_save(
        Item(identifier="BENCH-SCAN", item_type=Item.Type.PHOTOGRAPH, title_ko="벤치마크 스캔", **common)
    )
    picture = BytesIO()
    Image.effect_noise(SCAN_SIZE, 60).convert("RGB").save(picture, "JPEG", quality=90)
    scan = services.item_media_add(scan_item, image=picture.getvalue(), filename="bench-scan.jpg")
    document = services.item_save(
        Item(identifier="BENCH-DOC", item_type=Item.Type.DOCUMENT, title_ko="벤치마크 문서", **common)
    )
    # The manifest reads only each page's size and label: one stored page stands for all 300.
    page = BytesIO()
    Image.new("RGB", (124, 175), "white").save(page, "JPEG")
    first = services.item_media_add(document, image=page.getvalue(), filename="bench-page.jpg")
    ItemMedia.objects.bulk_create(
        ItemMedia(item=document, position=n, file=first.file.name, width=1240, height=1754, label_ko=f"{n}쪽")
        for n in range(2, PAGES + 1)
    )
    try:
        pages = list(document.media.order_by("position"))
        generation = []
        for _ in range(10):
            started = time.perf_counter()
            manifests.item_manifest(document, pages, base_url="http://127.0.0.1", oai_record_url="http://127.0.0.1/oai")
            generation.append(time.perf_counter() - started)

        regions = _tile_regions(*SCAN_SIZE)
        base = f"/iiif/image/{scan.uuid.hex}"
        with web_server(2, env={"ARCHIVE_IIIF_CACHE_DIR": cache_dir}) as url, requests.Session() as session:

            def timed(path: str) -> float:
                started = time.perf_counter()
                response = session.get(url + path, headers={"Cache-Control": "no-cache"}, timeout=120)
                response.raise_for_status()
                return time.perf_counter() - started

            cold = [timed(f"{base}/{region}/{size}/0/default.jpg") for region, size in regions]
            warm = [timed(f"{base}/{region}/{size}/0/default.jpg") for region, size in regions * 3]
            served = [timed(f"/iiif/manifest/{document.pk}.json") for _ in range(10)]
    finally:
        Item.objects.filter(pk__in=[scan_item.pk, document.pk]).delete()

    cold_p95, warm_p95 = percentile(cold, 0.95) * 1000, percentile(warm, 0.95) * 1000
    made_ms, served_ms = statistics.median(generation) * 1000, statistics.median(served) * 1000
    print(f"tiles of a {SCAN_SIZE[0]}x{SCAN_SIZE[1]} scan, {len(regions)} regions, 3 zoom levels, 2 uvicorn")
    print(f"  cold (made from the scan) p50 {percentile(cold, 0.5) * 1000:.0f} ms, p95 {cold_p95:.0f} ms")
    print(f"  warm (from the tile cache) p50 {percentile(warm, 0.5) * 1000:.1f} ms, p95 {warm_p95:.1f} ms")
    print(f"manifest of a {PAGES}-page document: made in {made_ms:.0f} ms (median), served in {served_ms:.0f} ms")
    record(
        measure=f"IIIF tiles of a {SCAN_SIZE[0]}x{SCAN_SIZE[1]} scan over HTTP",
        ours=f"warm p95 {warm_p95:.1f} ms",
        reference=f"cold p95 {cold_p95:.0f} ms",
        result=f"warm p95 {warm_p95:.1f} ms, cold p95 {cold_p95:.0f} ms",
        goal=f"warm p95 < {GOAL_WARM_P95_MS} ms, cold p95 < {GOAL_COLD_P95_MS} ms",
        met=warm_p95 < GOAL_WARM_P95_MS and cold_p95 < GOAL_COLD_P95_MS,
    )
    record(
        measure=f"IIIF manifest of a {PAGES}-page document",
        ours=f"made in {made_ms:.0f} ms",
        reference=f"served over HTTP in {served_ms:.0f} ms",
        result=f"{made_ms:.0f} ms",
        goal=f"< {GOAL_MANIFEST_MS} ms",
        met=made_ms < GOAL_MANIFEST_MS,
    )


if __name__ == "__main__":
    main()
