"""The lock store keeps one message at a time per conversation in a real Redis, and goes on in
memory while that Redis is down, instead of failing every turn as Rasa's own Redis store does."""

import asyncio
import shutil
import socket
import subprocess
import time

import pytest
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from stores.lock import RedisOrMemoryLockStore

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Redis:
    def __init__(self, port: int) -> None:
        self.port, self.process = port, None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def redis():
    server = Redis(free_port())
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def store_for(port: int) -> LockStore:
    config = EndpointConfig(url="127.0.0.1", type="stores.lock.RedisOrMemoryLockStore", port=port, db=0)
    return LockStore.create(config)


async def hold_and_look(store: LockStore, conversation: str) -> bool:
    """Takes the conversation's lock as Rasa does for a message: whether the store held a ticket
    meanwhile."""
    async with store.lock(conversation):
        held = store.get_lock(conversation)
        return held is not None and bool(held.tickets)


def test_the_endpoint_config_builds_the_store_with_redis_keys_and_prefix(redis):
    store = store_for(redis.port)
    assert isinstance(store, RedisOrMemoryLockStore)
    assert asyncio.run(hold_and_look(store, "conversation-1")) and not store.redis_down
    lock = store.create_lock("conversation-2")
    lock.issue_ticket(60)
    store.save_lock(lock)
    assert store.red.exists(store.key_prefix + "conversation-2") and not store.in_memory.conversation_locks


def test_while_redis_is_down_messages_still_take_turns_in_memory(redis):
    store = store_for(redis.port)
    redis.stop()
    rasas_own = RedisLockStore(host="127.0.0.1", port=redis.port, db=0)
    with pytest.raises(LockError, match="Connection refused"):
        asyncio.run(hold_and_look(rasas_own, "conversation-1"))

    order = []

    async def message(name: str, pause: float) -> None:
        async with store.lock("conversation-1", wait_time_in_seconds=0.01):
            order.append(f"{name} starts")
            await asyncio.sleep(pause)
            order.append(f"{name} ends")

    async def two_messages() -> None:
        await asyncio.gather(message("first", 0.2), message("second", 0))

    asyncio.run(two_messages())
    assert order == ["first starts", "first ends", "second starts", "second ends"]
    assert store.redis_down


def test_when_redis_returns_locks_go_back_to_redis(redis):
    store = store_for(redis.port)
    redis.stop()
    assert asyncio.run(hold_and_look(store, "conversation-1")) and store.redis_down
    redis.start()
    lock = store.create_lock("conversation-1")
    lock.issue_ticket(60)
    store.save_lock(lock)
    assert not store.redis_down and store.red.exists(store.key_prefix + "conversation-1")
    store.delete_lock("conversation-1")
    assert store.get_lock("conversation-1") is None
