"""The HRFCO adapter on recorded answers in the API's own format: alert levels taken from the
station data, 10-minute readings applied oldest first (a reading HRFCO fills in late is kept as
history, a blank one is counted missing), malformed records and error answers refused, and the
pull doing nothing without a key."""

from datetime import timedelta

import pytest

from apps.rivers import hrfco, services, tasks
from apps.rivers.models import AlertLevel, WalkwayClosure, WaterLevelReading
from tests.rivers.conftest import at_seoul, recorded


def test_the_alert_levels_are_read_from_the_station_data_and_other_stations_are_left(river, singok):
    geumsin = river.stations.get(code="1018666")
    assert (singok.attention_m, singok.caution_m, singok.warning_m, singok.serious_m) == (2.5, 3.6, 4.4, 5.0)
    assert singok.levels_source == "hrfco" and singok.levels_read_at is not None
    # 주의 is blank (" ") for 금신교 in the answer: no level, never zero.
    assert (geumsin.attention_m, geumsin.caution_m, geumsin.warning_m) == (1.8, None, 3.2)
    assert singok.latitude == pytest.approx(37 + 44 / 60 + 4.2 / 3600)
    assert singok.longitude == pytest.approx(127 + 2 / 60 + 45.6 / 3600)
    assert services.station_info_apply(recorded("waterlevel-info")) == {
        "updated": 0,
        "unchanged": 2,
        "other": 1,  # 한강대교: not the city's
        "bad": 0,
    }


def test_malformed_station_records_change_nothing(river, singok):
    counts = services.station_info_apply(recorded("waterlevel-info-malformed"))
    assert counts == {"updated": 0, "unchanged": 0, "other": 0, "bad": 4}
    singok.refresh_from_db()
    assert singok.attention_m == 2.5  # "abc" did not replace the level it had
    with pytest.raises(hrfco.BadAnswer):
        services.station_info_apply(recorded("error-answer"))


def test_ten_minute_readings_are_applied_oldest_first_and_a_late_one_is_kept_as_history(singok):
    counts = tasks.observations_apply(singok, recorded("waterlevel-list-1018665"), now=at_seoul("202607161255"))
    assert counts == {"applied": 4, "older": 0, "duplicate": 0, "refused": 0, "missing": 1, "bad": 0}
    singok.refresh_from_db()
    assert (singok.water_level_m, singok.flow_m3s, singok.read_at) == (1.92, 48.3, at_seoul("202607161250"))
    assert singok.alert_level == AlertLevel.NORMAL

    # The next pull overlaps the last; HRFCO filled in 12:30 late; the river rose past 주의.
    later = tasks.observations_apply(singok, recorded("waterlevel-list-1018665-later"), now=at_seoul("202607161315"))
    assert later == {"applied": 2, "older": 1, "duplicate": 1, "refused": 0, "missing": 0, "bad": 0}
    singok.refresh_from_db()
    assert (singok.water_level_m, singok.alert_level) == (3.74, AlertLevel.CAUTION)
    late = WaterLevelReading.objects.get(station=singok, read_at=at_seoul("202607161230"))
    assert late.water_level_m == 1.78 and late.message_id == "1018665@202607161230"
    assert list(singok.level_changes.values_list("level_from", "level_to")) == [
        ("attention", "caution"),
        ("normal", "attention"),
    ]
    # 3.74 m at 신곡교 reached 중랑천's closing level (주의): the walkway closed.
    assert WalkwayClosure.objects.get(river=singok.river).cause == WalkwayClosure.Cause.RULE


def test_malformed_readings_are_counted_and_never_applied(singok):
    counts = tasks.observations_apply(singok, recorded("waterlevel-list-malformed"), now=at_seoul("202607161255"))
    # A time that is not yyyyMMddHHmm, "1,85", Infinity, an object, another station: bad;
    # 99.5 m is more than a gauge here reads: refused; only 11:50's 1.60 m is applied.
    assert counts == {"applied": 1, "older": 0, "duplicate": 0, "refused": 1, "missing": 0, "bad": 5}
    singok.refresh_from_db()
    assert (singok.water_level_m, singok.read_at) == (1.6, at_seoul("202607161150"))
    with pytest.raises(hrfco.BadAnswer):
        tasks.observations_apply(singok, recorded("error-answer"))
    with pytest.raises(hrfco.BadAnswer):
        tasks.observations_apply(singok, ["content"])


def test_the_urls_carry_the_key_as_the_api_expects():
    assert hrfco.info_url("https://api.hrfco.go.kr/", "K/EY") == "https://api.hrfco.go.kr/K%2FEY/waterlevel/info.json"
    assert (
        hrfco.levels_url("https://api.hrfco.go.kr", "KEY", "1018665")
        == "https://api.hrfco.go.kr/KEY/waterlevel/list/10M/1018665.json"
    )


def test_without_a_key_the_pull_does_nothing(settings, singok):
    settings.RIVERS_HRFCO_KEY = ""
    assert "not set" in tasks.pull_hrfco_levels()
    assert "not set" in tasks.pull_hrfco_station_info()
    assert not singok.readings.exists()


def test_a_station_that_cannot_be_reached_leaves_the_others(settings, river):
    settings.RIVERS_HRFCO_KEY = "KEY"
    settings.RIVERS_HRFCO_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    assert tasks.pull_hrfco_levels() == "failed 2"


def test_observation_ids_are_the_station_and_its_seoul_minute():
    observation = hrfco.observation({"wlobscd": "1018665", "ymdhm": "202607161250", "wl": "1.92", "fw": ""})
    assert observation.flow_m3s is None
    assert observation.message_id == "1018665@202607161250"
    assert observation.read_at - at_seoul("202607161240") == timedelta(minutes=10)
