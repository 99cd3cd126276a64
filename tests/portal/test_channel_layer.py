"""The channel layer on Redis, as production configures it: a quiet socket keeps its consumer."""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.layers import get_channel_layer


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_a_receive_that_waits_longer_than_redis_blocks_still_gets_its_message():
    layer = get_channel_layer()

    async def wait_then_send():
        channel = await layer.new_channel()
        receiving = asyncio.ensure_future(layer.receive(channel))
        # Past one BZPOPMIN block (5 s), which used to end the receive with a read timeout.
        await asyncio.sleep(layer.brpop_timeout + 2)
        assert not receiving.done(), receiving.exception() if receiving.done() else None
        await layer.send(channel, {"type": "walkway.changed", "closed": True})
        return await asyncio.wait_for(receiving, timeout=5)

    # A loop of its own on its own thread: the suite's browser tests leave one running on this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        received = pool.submit(asyncio.run, wait_then_send()).result()
    assert received == {"type": "walkway.changed", "closed": True}
