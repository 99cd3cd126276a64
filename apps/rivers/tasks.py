"""Background work of the river area: the HRFCO pull that beat runs every ten minutes (levels) and
every day (the stations' alert levels), and AirKorea's fine dust twice an hour."""

import json
import logging
import urllib.request
from datetime import datetime

from celery import shared_task
from django.conf import settings

from apps.rivers import air, hrfco, selectors, services
from apps.rivers.models import River, WaterLevelReading, WaterLevelStation

logger = logging.getLogger(__name__)
# A station's recent readings, or the country's station list, fit in this; more is not HRFCO's answer.
MAX_ANSWER_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 20


def _fetch(url: str) -> object:
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (the operator's URL)
        return json.loads(answer.read(MAX_ANSWER_BYTES + 1)[:MAX_ANSWER_BYTES])


def observations_apply(station: WaterLevelStation, payload: object, *, now: datetime | None = None) -> dict[str, int]:
    """Applies a waterlevel/list answer for one station, oldest first, so that a late reading HRFCO
    fills in is kept as history and the newest becomes the current level. A record without a
    level ("missing") or for another station is skipped; a record that cannot be read is "bad"."""
    counts = {"applied": 0, "older": 0, "duplicate": 0, "refused": 0, "missing": 0, "bad": 0}
    observations = []
    for item in hrfco.items(payload):
        try:
            observation = hrfco.observation(item)
        except hrfco.Missing:
            counts["missing"] += 1
            continue
        except hrfco.BadValue as error:
            logger.warning("HRFCO reading of %s refused: %s", station.code, error)
            counts["bad"] += 1
            continue
        if observation.code != station.code:
            counts["bad"] += 1
            continue
        observations.append(observation)
    for observation in sorted(observations, key=lambda each: each.read_at):
        try:
            result = services.water_level_reading_apply(
                station,
                water_level_m=observation.water_level_m,
                flow_m3s=observation.flow_m3s,
                read_at=observation.read_at,
                source=WaterLevelReading.Source.HRFCO,
                message_id=observation.message_id,
                now=now,
            )
        except services.Refused as refusal:
            logger.warning("HRFCO reading %s refused: %s", observation.message_id, refusal)
            counts["refused"] += 1
        else:
            counts[result.outcome] += 1
    return counts


@shared_task
def pull_hrfco_levels() -> str:
    """Fetches the 10-minute water levels of each of the city's HRFCO stations and applies them;
    without RIVERS_HRFCO_KEY, does nothing (and says so). One station's failure leaves the others."""
    if not settings.RIVERS_HRFCO_KEY:
        return "RIVERS_HRFCO_KEY is not set: nothing pulled"
    totals: dict[str, int] = {}
    for station in WaterLevelStation.objects.exclude(illustrative=True):
        try:
            payload = _fetch(hrfco.levels_url(settings.RIVERS_HRFCO_URL, settings.RIVERS_HRFCO_KEY, station.code))
            counts = observations_apply(station, payload)
        except (OSError, ValueError) as error:  # network, HTTP, JSON or BadAnswer
            logger.warning("HRFCO levels of %s not pulled: %s", station.code, error)
            counts = {"failed": 1}
        for name, number in counts.items():
            totals[name] = totals.get(name, 0) + number
    return ", ".join(f"{name} {number}" for name, number in totals.items()) or "no HRFCO stations"


@shared_task
def pull_hrfco_station_info() -> str:
    """The alert levels of the city's stations from HRFCO's station data (they change rarely)."""
    if not settings.RIVERS_HRFCO_KEY:
        return "RIVERS_HRFCO_KEY is not set: nothing pulled"
    payload = _fetch(hrfco.info_url(settings.RIVERS_HRFCO_URL, settings.RIVERS_HRFCO_KEY))
    counts = services.station_info_apply(payload)
    return ", ".join(f"{name} {number}" for name, number in counts.items())


def fine_dust_pull(station: str, payload: object) -> str:
    """Applies one station's getMsrstnAcctoRltmMesureDnsty answer: its newest measured hour."""
    reading = air.fine_dust_latest(payload, station)
    return "nothing measured" if reading is None else services.fine_dust_apply(reading)


@shared_task
def pull_airkorea_fine_dust() -> str:
    """Fetches fine dust now at the AirKorea station nearest each river; without
    RIVERS_AIRKOREA_KEY, does nothing (and says so). One station's failure leaves the others."""
    if not settings.RIVERS_AIRKOREA_KEY:
        return "RIVERS_AIRKOREA_KEY is not set: nothing pulled"
    states = selectors.river_states(River.objects.all())
    names = sorted({station.name for state in states if (station := selectors.air_station_of(state))})
    outcomes = []
    for name in names:
        try:
            payload = _fetch(air.measurements_url(settings.RIVERS_AIRKOREA_URL, settings.RIVERS_AIRKOREA_KEY, name))
            outcomes.append(f"{name} {fine_dust_pull(name, payload)}")
        except (OSError, ValueError) as error:  # network, HTTP, JSON or BadAnswer
            logger.warning("AirKorea fine dust of %s not pulled: %s", name, error)
            outcomes.append(f"{name} failed")
    return ", ".join(outcomes) or "no AirKorea station near a river"
