"""Writes of the river area: alert levels from HRFCO's station data, the one function that applies
a water level (and closes the walkway when it reaches the river's closing level), gate states, and
closing and reopening a walkway (reopening only by staff, under the river's row lock).

Lock order, everywhere: a station, then its river; an entrance alone. No function takes them the
other way round, so two writers never wait on each other in a circle."""

import asyncio
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from apps.common.tokens import token_hash, token_new
from apps.places.models import Closure
from apps.places.services import closure_create, closure_lift
from apps.rivers import air, hrfco
from apps.rivers.models import (
    LEVEL_ORDER,
    AlertLevel,
    GateChange,
    LevelChange,
    River,
    RiverDevice,
    RiverEntrance,
    WalkwayClosure,
    WaterLevelReading,
    WaterLevelStation,
)
from apps.rivers.selectors import (
    air_station_of,
    fine_dust_at,
    fine_dust_key,
    river_states,
    river_walkway_message,
    station_live,
    trail_markers_near,
)
from apps.rivers.signals import walkway_changed

logger = logging.getLogger(__name__)

# A device clock this far ahead is wrong, not early.
CLOCK_SKEW = timedelta(minutes=2)
# Older readings than this are not history worth keeping: a device replaying its memory.
OLDEST_READING = timedelta(days=2)


class Refused(ValueError):
    """A reading, a gate state or a staff action that cannot be taken; str() says why."""


def river_group(river_id: int) -> str:
    """The channel layer group told every walkway change and new level of one river."""
    return f"rivers.river.{river_id}"


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(AlertLevel(level))


def alert_level_of(station: WaterLevelStation, water_level_m: float) -> str:
    """The highest of the station's alert levels the water has reached (normal below all of them);
    a level HRFCO gives none for is skipped."""
    reached = AlertLevel.NORMAL
    for level, threshold in station.thresholds.items():
        if threshold is not None and water_level_m >= threshold:
            reached = level
    return reached


def _send(river_id: int, message: dict) -> None:
    layer = get_channel_layer()

    async def send() -> None:
        await asyncio.gather(layer.group_send(river_group(river_id), message))

    try:
        async_to_sync(send)()
    except Exception:  # the state is stored; open pages catch up on their next load
        logger.exception("river %s: change not pushed to open pages", river_id)


# --- Devices and HRFCO station data -----------------------------------------------------------------


def river_device_create(*, name: str, station: WaterLevelStation | None = None, entrance: RiverEntrance | None = None):
    """A level sensor (for a station) or a gate system (for an entrance), and its token (shown once,
    never stored)."""
    token = token_new()
    kind = RiverDevice.Kind.LEVEL_SENSOR if station is not None else RiverDevice.Kind.GATE
    device = RiverDevice.objects.create(
        kind=kind, station=station, entrance=entrance, name=name, token_hash=token_hash(token)
    )
    return device, token


def station_info_apply(payload: object, *, at: datetime | None = None) -> dict[str, int]:
    """Takes the alert levels (and position, where none is set) of the city's stations from a
    waterlevel/info answer; the other stations of the country are skipped. A record that cannot be
    read changes nothing (its station keeps the levels it had)."""
    at = at or timezone.now()
    counts = {"updated": 0, "unchanged": 0, "other": 0, "bad": 0}
    ours = {station.code: station for station in WaterLevelStation.objects.all()}
    for item in hrfco.items(payload):
        try:
            info = hrfco.station_info(item)
        except hrfco.BadValue as error:
            logger.warning("HRFCO station record refused: %s", error)
            counts["bad"] += 1
            continue
        station = ours.get(info.code)
        if station is None:
            counts["other"] += 1
            continue
        levels = (info.attention_m, info.caution_m, info.warning_m, info.serious_m)
        changed = (station.attention_m, station.caution_m, station.warning_m, station.serious_m) != levels
        station.attention_m, station.caution_m, station.warning_m, station.serious_m = levels
        if station.latitude is None and info.latitude is not None:
            station.latitude, station.longitude, changed = info.latitude, info.longitude, True
        station.levels_source, station.levels_read_at = WaterLevelStation.LevelsSource.HRFCO, at
        WaterLevelStation.objects.filter(pk=station.pk).update(
            attention_m=station.attention_m,
            caution_m=station.caution_m,
            warning_m=station.warning_m,
            serious_m=station.serious_m,
            latitude=station.latitude,
            longitude=station.longitude,
            levels_source=station.levels_source,
            levels_read_at=at,
        )
        counts["updated" if changed else "unchanged"] += 1
    return counts


# --- Fine dust ------------------------------------------------------------------------------------


def fine_dust_apply(reading: air.FineDust) -> str:
    """Keeps a station's newest fine dust in the cache (for RIVERS_AIR_KEEP_SECONDS: it is a number
    of the hour, not history, and AirKorea keeps the history) and pushes it to the open pages of
    the rivers whose nearest station it is. No row is written, so the page cache stays: pages read
    it when they are rendered (a river page lives a minute) and hear of it over the socket.
    "older" when the kept value is as new or newer, "stale" when the hour is too old to show;
    else "applied"."""
    kept = fine_dust_at(reading.station)
    if kept is not None and kept.measured_at >= reading.measured_at:
        return "older"
    # Kept until RIVERS_AIR_KEEP_SECONDS after the hour measured, however late it came.
    left = settings.RIVERS_AIR_KEEP_SECONDS - (timezone.now() - reading.measured_at).total_seconds()
    if left <= 0:
        return "stale"
    cache.set(fine_dust_key(reading.station), reading.as_dict(), timeout=math.ceil(left))
    for state in river_states(River.objects.all()):
        station = air_station_of(state)
        if station is not None and station.name == reading.station:
            _send(state.river.pk, {"type": "air.changed", "river": state.river.slug, **reading.as_dict()})
    return "applied"


# --- Water levels ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadingResult:
    outcome: str  # "applied": now the current level; "older": kept as history only; "duplicate"
    reading: WaterLevelReading | None
    closure: WalkwayClosure | None = None  # the walkway closure this reading made, if it made one


def _check_plausible(water_level_m: float, read_at: datetime, now: datetime) -> None:
    if read_at > now + CLOCK_SKEW:
        raise Refused(_("The reading time is in the future: check the device's clock."))
    if read_at < now - OLDEST_READING:
        raise Refused(_("The reading is more than two days old."))
    lowest, highest = settings.RIVERS_PLAUSIBLE_LEVEL_M
    if not lowest <= water_level_m <= highest:
        raise Refused(
            _("A water level of %(level)s m is outside what a gauge here can read (%(low)s to %(high)s m).")
            % {"level": water_level_m, "low": lowest, "high": highest}
        )


def water_level_reading_apply(
    station: WaterLevelStation,
    *,
    water_level_m: float,
    read_at: datetime,
    source: str,
    message_id: str,
    flow_m3s: float | None = None,
    device: RiverDevice | None = None,
    now: datetime | None = None,
) -> ReadingResult:
    """Applies one water level (HRFCO pull, a city sensor, the illustrative history) under the
    station's row lock: a message seen before is a "duplicate"; one read before the current level
    is kept as history but never replaces it ("older"); else it becomes the current level
    ("applied"), a change of alert level is kept, open pages are told, and a level at or above the
    river's closing level closes the river's walkway. An impossible level is refused (Refused).
    A sudden rise is never refused: a flash flood is exactly that."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = WaterLevelStation.objects.select_for_update().get(pk=station.pk)
        if WaterLevelReading.objects.filter(station=locked, source=source, message_id=message_id).exists():
            return ReadingResult("duplicate", None)
        _check_plausible(water_level_m, read_at, now)
        level = alert_level_of(locked, water_level_m)
        try:
            with transaction.atomic():
                reading = WaterLevelReading.objects.create(
                    station=locked,
                    water_level_m=water_level_m,
                    flow_m3s=flow_m3s,
                    alert_level=level,
                    read_at=read_at,
                    source=source,
                    device=device,
                    message_id=message_id,
                )
        except IntegrityError:  # the same message, sent twice at once, stored by the other
            return ReadingResult("duplicate", None)
        if locked.read_at is not None and read_at <= locked.read_at:
            return ReadingResult("older", reading)
        if level != locked.alert_level:
            LevelChange.objects.create(
                station=locked, level_from=locked.alert_level, level_to=level, water_level_m=water_level_m, at=read_at
            )
        # An update, not save(): a live number is no reason to empty the page cache.
        WaterLevelStation.objects.filter(pk=locked.pk).update(
            water_level_m=water_level_m, flow_m3s=flow_m3s, alert_level=level, read_at=read_at
        )
        message = {
            "type": "level.changed",
            "station": locked.code,
            "water_level_m": water_level_m,
            "alert_level": level,
            "read_at": read_at.isoformat(),
        }
        transaction.on_commit(lambda: _send(locked.river_id, message))
        closure = None
        river = River.objects.get(pk=locked.river_id)
        if level_rank(level) >= level_rank(river.closing_level):
            closure = _walkway_close_for_level(river, locked, water_level_m, level)
    station.water_level_m, station.flow_m3s, station.alert_level, station.read_at = (
        water_level_m,
        flow_m3s,
        level,
        read_at,
    )
    return ReadingResult("applied", reading, closure)


def _walkway_close_for_level(
    river: River, station: WaterLevelStation, water_level_m: float, level: str
) -> WalkwayClosure | None:
    words = {}
    for language in ("ko", "en"):
        with override(language):
            words[language] = _(
                "%(river)s: water level %(level)s at %(station)s (%(metres).2f m). The walkway is closed "
                "until staff reopen it."
            ) % {
                "river": river.name,
                "level": AlertLevel(level).label,
                "station": station.name,
                "metres": water_level_m,
            }
    return walkway_close(
        river, cause=WalkwayClosure.Cause.RULE, reason_ko=words["ko"], reason_en=words["en"], station=station
    )


# --- The walkway ----------------------------------------------------------------------------------


def walkway_close(
    river: River,
    *,
    cause: str,
    reason_ko: str,
    reason_en: str = "",
    station: WaterLevelStation | None = None,
    user=None,
) -> WalkwayClosure | None:
    """Closes every entrance of the river, and the places closed with it, with one "closed" closure
    of apps.places each (every area hearing closure_changed reacts: river-side car parks close,
    the site raises its alert), and warns the trail markers within RIVERS_NEARBY_MARKERS_M of an
    entrance with a "take care" notice (the marker stays open; its page shows why). Reopening lifts
    them all. None when the walkway is closed already: one closure in force."""
    with transaction.atomic():
        River.objects.select_for_update().filter(pk=river.pk).first()
        if WalkwayClosure.objects.filter(river=river, reopened_at__isnull=True).exists():
            return None
        now = timezone.now()
        walkway = WalkwayClosure.objects.create(
            river=river,
            cause=cause,
            station=station,
            reason_ko=reason_ko[:300],
            reason_en=reason_en[:300],
            closed_at=now,
            closed_by=user,
        )
        places = [entrance.place for entrance in river.entrances.select_related("place")]
        places += list(river.also_closes.all())
        closures = [
            closure_create(
                municipality=river.municipality,
                place=place,
                severity=Closure.Severity.CLOSED,
                starts_at=now,
                reason_ko=walkway.reason_ko,
                reason_en=walkway.reason_en,
            )
            for place in places
            if not place.is_retired
        ]
        closures += _nearby_markers_warn(river, walkway, starts_at=now, closed={place.pk for place in places})
        walkway.place_closures.set(closures)
        transaction.on_commit(lambda: _walkway_announce(river, closed=True))
    return walkway


def _nearby_markers_warn(river: River, walkway: WalkwayClosure, *, starts_at: datetime, closed: set[int]) -> list:
    words = {}
    for language, reason in (("ko", walkway.reason_ko), ("en", walkway.reason_en or walkway.reason_ko)):
        with override(language):
            words[language] = _("The %(river)s walkway near here is closed: %(reason)s") % {
                "river": river.name_ko if language == "ko" else river.name_en or river.name_ko,
                "reason": reason,
            }
    return [
        closure_create(
            municipality=river.municipality,
            place=marker,
            severity=Closure.Severity.NOTICE,
            starts_at=starts_at,
            reason_ko=words["ko"][:300],
            reason_en=words["en"][:300],
        )
        for marker in trail_markers_near(river, settings.RIVERS_NEARBY_MARKERS_M)
        if marker.pk not in closed  # a marker the walkway closes outright needs no warning besides
    ]


def walkway_reopen(river: River, *, user, note: str) -> WalkwayClosure:
    """Staff confirm the walkway is safe: its closures are lifted and it reopens. Only a signed-in
    member of staff may (the user is logged with the reason); never while a live reading of the
    river is still at or above its closing level. Two staff confirming at once: the second is told
    the walkway is open already (Refused), nothing is lifted twice."""
    if user is None or not user.is_authenticated:
        raise Refused(_("Only staff can reopen a walkway."))
    if not note.strip():
        raise Refused(_("Say why the walkway is safe to reopen."))
    with transaction.atomic():
        locked = River.objects.select_for_update().get(pk=river.pk)
        walkway = WalkwayClosure.objects.filter(river=locked, reopened_at__isnull=True).first()
        if walkway is None:
            raise Refused(_("The walkway of %(river)s is open already.") % {"river": locked.name})
        for station in locked.stations.all():
            live = station_live(station)
            if live.alert_level != "unknown" and level_rank(live.alert_level) >= level_rank(locked.closing_level):
                raise Refused(
                    _("%(station)s still reads %(metres).2f m (%(level)s): the walkway cannot reopen yet.")
                    % {
                        "station": station.name,
                        "metres": live.water_level_m,
                        "level": AlertLevel(live.alert_level).label,
                    }
                )
        now = timezone.now()
        for closure in walkway.place_closures.all():
            closure_lift(closure, at=now)
        walkway.reopened_at, walkway.reopened_by, walkway.reopen_note = now, user, note.strip()[:300]
        walkway.save(update_fields=["reopened_at", "reopened_by", "reopen_note"])
        transaction.on_commit(lambda: _walkway_announce(locked, closed=False))
    return walkway


def _walkway_announce(river: River, *, closed: bool) -> None:
    _send(river.pk, river_walkway_message(river))
    for receiver, error in walkway_changed.send_robust(sender=River, river=river, closed=closed):
        if isinstance(error, Exception):  # the closure stands; the listener's failure is logged
            logger.error("walkway change of river %s not taken by %s", river.pk, receiver, exc_info=error)


# --- Gates ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GateResult:
    outcome: str  # "applied", "unchanged" (already in that state), "older" (kept only), "duplicate"
    change: GateChange | None


def gate_state_set(
    entrance: RiverEntrance,
    *,
    closed: bool,
    at: datetime | None = None,
    source: str,
    message_id: str = "",
    device: RiverDevice | None = None,
    user=None,
    reason: str = "",
    now: datetime | None = None,
) -> GateResult:
    """Records a gate state from the gate system or from staff (who and why are kept) under the
    entrance's row lock. Closed: a "closed" closure of the entrance's place; opened: that closure
    lifted. Opening a gate never reopens a walkway the rule or staff closed: the entrance stays
    closed while that closure is in force. A message seen before is a "duplicate"; one timed
    before the gate's last change is kept but not applied ("older")."""
    now = now or timezone.now()
    at = at or now
    if source == GateChange.Source.STAFF and (user is None or not reason.strip()):
        raise Refused(_("Staff say who they are and why they change a gate."))
    if at > now + CLOCK_SKEW:
        raise Refused(_("The gate time is in the future: check the gate system's clock."))
    if at < now - OLDEST_READING:
        raise Refused(_("The gate message is more than two days old."))
    with transaction.atomic():
        locked = RiverEntrance.objects.select_for_update().select_related("place", "river").get(pk=entrance.pk)
        if message_id and GateChange.objects.filter(entrance=locked, source=source, message_id=message_id).exists():
            return GateResult("duplicate", None)
        older = locked.gate_changed_at is not None and at <= locked.gate_changed_at
        try:
            with transaction.atomic():
                change = GateChange.objects.create(
                    entrance=locked,
                    closed=closed,
                    at=at,
                    source=source,
                    device=device,
                    user=user,
                    reason=reason.strip()[:300],
                    message_id=message_id,
                    applied=not older,
                )
        except IntegrityError:
            return GateResult("duplicate", None)
        if older:
            return GateResult("older", change)
        unchanged = locked.gate_closed == closed
        closure = locked.gate_closure
        if closed and (closure is None or closure.ends_at is not None):
            closure = _gate_closure(locked, at=now, reason=reason)
        elif not closed and closure is not None:
            closure_lift(closure, at=now)
            closure = None
        RiverEntrance.objects.filter(pk=locked.pk).update(gate_closed=closed, gate_changed_at=at, gate_closure=closure)
        river = locked.river
        transaction.on_commit(lambda: _gate_announce(river))
    entrance.gate_closed, entrance.gate_changed_at, entrance.gate_closure = closed, at, closure
    return GateResult("unchanged" if unchanged else "applied", change)


def _gate_closure(entrance: RiverEntrance, *, at: datetime, reason: str) -> Closure:
    words = {}
    for language in ("ko", "en"):
        with override(language):
            words[language] = _("The gate at %(entrance)s is closed.") % {"entrance": entrance.name}
    extra = f" {reason.strip()}" if reason.strip() else ""
    return closure_create(
        municipality=entrance.river.municipality,
        place=entrance.place,
        severity=Closure.Severity.CLOSED,
        starts_at=at,
        reason_ko=(words["ko"] + extra)[:300],
        reason_en=(words["en"] + extra)[:300],
    )


def _gate_announce(river: River) -> None:
    _send(river.pk, river_walkway_message(river))
