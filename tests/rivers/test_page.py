"""The river page: a server-drawn 24-hour chart with the four alert levels and a text alternative,
the nearest open entrance to where you are, the closed walkway as a danger notice, and the script
that keeps it live (served, referenced, given its texts in the page's language)."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from apps.rivers import selectors, services
from apps.rivers.models import AlertLevel, GateChange, WaterLevelReading

PAGE = "/en/rivers/jungnangcheon/"


def history(station, levels: list[float], *, every_minutes: int = 10) -> None:
    """Readings ending now, oldest first, as the history the chart draws."""
    now = timezone.now()
    WaterLevelReading.objects.bulk_create(
        WaterLevelReading(
            station=station,
            water_level_m=level,
            alert_level=AlertLevel.NORMAL,
            read_at=now - timedelta(minutes=every_minutes * (len(levels) - 1 - index)),
            source=WaterLevelReading.Source.SENSOR,
            message_id=f"history-{index}",
        )
        for index, level in enumerate(levels)
    )


def test_the_chart_draws_the_last_24_hours_with_the_four_alert_levels_and_a_table(river, singok):
    history(singok, [1.0, 1.2, 2.7, 1.4], every_minutes=60)
    levels = selectors.station_levels_24h(singok, timezone.now())
    assert len(levels.hours) == 24 and [metres for _, metres in levels.readings] == [1.0, 1.2, 2.7, 1.4]
    assert [hour.highest_m for hour in levels.hours][-4:] == [1.0, 1.2, 2.7, 1.4]
    assert levels.hours[0].highest_m is None  # a silent hour stays empty, never drawn as calm
    page = Client().get(PAGE).content.decode()
    start = page.index('<svg class="river-chart__svg"')
    svg = page[start : page.index("</svg>", start)]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg and "highest 2.70 m" in svg
    for level, label in (("attention", "2.5"), ("caution", "3.6"), ("warning", "4.4"), ("serious", "5.0")):
        assert f"river-chart__alert--{level}" in svg and f"{label} m</text>" in svg
    assert 'class="river-chart__line"' in svg and re.search(r">\d\d:00</text>", svg)  # hours, Seoul time
    table = page[page.index('<details class="river-chart__table">') : page.index("</details>")]
    assert table.count('<th scope="row">') == 24 and "2.70 m" in table and "no reading" in table


def test_the_nearest_open_entrance_skips_a_closed_one_and_the_position_is_only_in_the_address(river):
    nearer = river.entrances.get(name_ko="중랑천 신곡교 진입로")
    at = f"{nearer.place.latitude:.5f},{nearer.place.longitude:.5f}"
    page = Client().get(PAGE, {"near": at})
    assert page.status_code == 302 and page["Location"] == f"{PAGE}?near=37.734%2C127.045"  # rounded
    page = Client().get(page["Location"]).content.decode()
    assert re.search(r'class="river-near"[^>]*><strong>중랑천 신곡교 진입로</strong> · \d\d m away', page)
    services.gate_state_set(nearer, closed=True, source=GateChange.Source.GATE, message_id="near-closed")
    page = Client().get(f"{PAGE}?near=37.734%2C127.045").content.decode()
    assert re.search(r'class="river-near"[^>]*><strong>중랑천 회룡교 진입로</strong> · 1\d{3} m away', page)
    assert Client().get(PAGE, {"near": "nowhere"})["Location"] == PAGE


def test_a_closed_walkway_is_a_danger_notice_with_every_entrance_closed(river, singok):
    services.water_level_reading_apply(
        singok,
        water_level_m=3.8,
        read_at=timezone.now(),
        source=WaterLevelReading.Source.SENSOR,
        message_id="flood",
    )
    page = Client().get(f"{PAGE}?near=37.734%2C127.045").content.decode()
    assert re.search(r'class="notice notice--danger" role="alert"><strong>The walkway is closed.</strong> \S', page)
    assert page.count('data-open="0"') == 2 and page.count("<strong>closed</strong>") == 2
    assert "No entrance is open near you now." in page


def test_the_live_script_is_referenced_with_its_texts_and_served(river):
    response = Client().get(PAGE)
    page = response.content.decode()
    assert "max-age=60" in response["Cache-Control"]  # live parts come over the socket
    script = re.search(r'<script src="(/static/js/river-live\.[0-9a-f]+\.js)" defer>', page)
    assert script and 'data-socket="/ws/rivers/?river=jungnangcheon"' in page
    assert '<script id="river-live-texts" type="application/json">' in page and '"walkway_closed"' in page
    served = Client().get(script.group(1))
    body = b"".join(served.streaming_content if served.streaming else [served.content]).decode()
    assert served.status_code == 200 and 'data.type === "walkway"' in body and 'data.type === "level"' in body


def test_each_entrance_lists_the_next_buses_and_trains_at_its_nearest_stops(river, timetable_at_weekday_noon):
    """From the city's timetables (the illustrative seed feed), through apps/places as trail
    markers have them: 회룡역 by the 회룡교 entrance, with the next departures and the day's last."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("import_gtfs", str(settings.BASE_DIR / "data/transit/uijeongbu-illustrative"), verbosity=0)
    page = Client().get("/ko/rivers/jungnangcheon/").content.decode()
    start = page.index('data-entrance="', page.index('id="entrances-title"'))
    entrances = page[start : page.index("</section>", start)]
    hoeryong = entrances[entrances.index("중랑천 회룡교 진입로") :]
    assert hoeryong.index("회룡역") < hoeryong.index("</details>") and "예시 시간표" in hoeryong
    assert re.search(r"<li>1호선: (\d\d:\d\d, ){2}\d\d:\d\d · 막차 \d\d:\d\d</li>", hoeryong), hoeryong
