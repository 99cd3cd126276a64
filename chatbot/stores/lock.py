"""Rasa's lock store (one message at a time per conversation) in Redis, so that it holds across
Rasa processes and restarts; while Redis cannot be reached, in this process's memory instead.

Rasa's own RedisLockStore fails every turn while Redis is down, so the bot stopped answering
during a Redis outage even though nothing else it needs was down. Here the bot keeps answering:
for the outage, messages of one conversation wait for each other within this Rasa process (the
usual setup runs one), and not across processes."""

import logging

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Redis that answers nothing (not refusing, just silent) must not hold a message this long.
SOCKET_TIMEOUT_SECONDS = 2


class RedisOrMemoryLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        settings = endpoint_config.kwargs
        super().__init__(
            host=endpoint_config.url or "localhost",
            port=int(settings.get("port") or 6379),
            db=int(settings.get("db") or 0),
            password=settings.get("password") or None,
            key_prefix=settings.get("key_prefix"),
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
        )
        self.in_memory = InMemoryLockStore()
        self.redis_down = False

    def _fell_back(self, error: RedisError) -> None:
        if not self.redis_down:
            logger.warning("Redis cannot be reached (%s): conversation locks are kept in memory", error)
        self.redis_down = True

    def _back(self) -> None:
        if self.redis_down:
            logger.warning("Redis is back: conversation locks are kept in Redis again")
        self.redis_down = False

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        try:
            lock = super().get_lock(conversation_id)
        except RedisError as error:
            self._fell_back(error)
            return self.in_memory.get_lock(conversation_id)
        self._back()
        return lock

    def delete_lock(self, conversation_id: str) -> None:
        # A lock taken in memory during an outage is dropped too, whichever store answers now.
        self.in_memory.conversation_locks.pop(conversation_id, None)
        try:
            super().delete_lock(conversation_id)
        except RedisError as error:
            self._fell_back(error)

    def save_lock(self, lock: TicketLock) -> None:
        try:
            super().save_lock(lock)
        except RedisError as error:
            self._fell_back(error)
            self.in_memory.save_lock(lock)
            return
        self._back()
