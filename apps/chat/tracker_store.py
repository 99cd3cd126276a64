"""Rasa's SQL tracker store as the portal sees it: where it is, what a conversation's report slots
hold, and the deletion of events older than the transcript's retention.

Rasa writes one row per dialogue event to a table `events` (id, sender_id, type_name, timestamp as
Unix seconds, data as the event's JSON). chatbot/scripts/store_env.py puts it in schema `rasa` of
the portal's PostgreSQL database, or, on the embedded default, in $VAR_DIR/rasa-trackers.sqlite3:
the same choice is made here from the portal's own database, so both agree without configuration.
"""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

SCHEMA = "rasa"
SQLITE_NAME = "rasa-trackers.sqlite3"
# Events after which a tracker's slots start empty again.
SLOT_RESETS = {"session_started", "restart", "reset_slots"}


def sqlite_path() -> Path:
    return Path(settings.VAR_DIR) / SQLITE_NAME


@contextmanager
def _events() -> Iterator[tuple[Any, str, str] | None]:
    """(cursor, table, placeholder) for Rasa's events table; None when Rasa has not created it yet."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [f"{SCHEMA}.events"])
            yield (cursor, f'"{SCHEMA}".events', "%s") if cursor.fetchone()[0] else None
        return
    path = sqlite_path()
    if not path.exists():
        yield None
        return
    # Rasa writes to the same file: wait a little for its lock rather than fail.
    with closing(sqlite3.connect(path, timeout=10)) as database, database:
        cursor = database.cursor()
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'")
        yield (cursor, "events", "?") if cursor.fetchone() else None


def events_delete_before(cutoff: datetime) -> int:
    """Deletes every dialogue event older than `cutoff` (what residents said, the slots it filled);
    returns how many went. A tracker keeps its newer events, as a transcript keeps its newer lines."""
    with _events() as found:
        if found is None:
            return 0
        cursor, table, mark = found
        cursor.execute(f"DELETE FROM {table} WHERE timestamp < {mark}", [cutoff.timestamp()])  # noqa: S608
        return max(cursor.rowcount, 0)


def conversation_slots(sender_id: str) -> dict[str, Any]:
    """The slots of the conversation's current session as Rasa last stored them (empty when Rasa has
    stored nothing): what the resident has told the bot so far, readable while Rasa is down."""
    with _events() as found:
        if found is None:
            return {}
        cursor, table, mark = found
        cursor.execute(
            f"SELECT type_name, data FROM {table} WHERE sender_id = {mark} ORDER BY id",  # noqa: S608
            [sender_id],
        )
        rows = cursor.fetchall()
    slots: dict[str, Any] = {}
    for type_name, data in rows:
        if type_name in SLOT_RESETS:
            slots.clear()
        elif type_name == "slot":
            try:
                event = json.loads(data)
            except (TypeError, ValueError):
                continue
            if isinstance(event, dict) and isinstance(event.get("name"), str):
                slots[event["name"]] = event.get("value")
    return slots
