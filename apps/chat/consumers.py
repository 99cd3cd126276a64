"""The chat widget's websocket at /ws/chat/: stores what the resident says, relays it to Rasa's
REST webhook, stores and forwards the bot's replies. The JSON protocol is in protocol.py.

Server to client:
  {"type": "welcome", "conversation": "<signed id>", "history": [{"sender", "text", ...}, ...]}
  {"type": "typing"}                      the message is stored; the bot is thinking
  {"type": "bot", "messages": [{"text", "buttons": [{"title", "payload"}], "image", "custom"}]}
  {"type": "error", "code": "bot_down" | "rate_limited" | "too_long" | "bad_request",
   "message": "<in the conversation's language>", "report_url": "/ko/complaints/report/?description=..."}

A "bot" frame may also come unasked: the portal telling the conversation the number of a case the
bot filed but could not announce (services.conversation_case_filed), through the channel layer.
"""

import asyncio
import contextlib
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from urllib.parse import urlencode

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.chat import selectors, services
from apps.chat.bot import BotReply, BotUnavailable, bot_send
from apps.chat.ids import conversation_id_sign
from apps.chat.models import Conversation, Message
from apps.chat.protocol import (
    MAX_FRAME_LENGTH,
    MAX_TEXT_LENGTH,
    Hello,
    Refused,
    ResidentMessage,
    hello_parse,
    resident_message_parse,
)
from apps.common.ratelimit import Limit, client_id, subject_limit_forget, subject_limit_hit
from apps.municipalities.selectors import municipality_for_request

logger = logging.getLogger(__name__)

# One person types a dozen messages a minute at most; many residents may share an address (a
# carrier's NAT, city hall's Wi-Fi), so the address limit is the looser one.
MESSAGE_LIMITS_PER_CONVERSATION = (Limit(count=12, seconds=60), Limit(count=300, seconds=24 * 60 * 60))
MESSAGE_LIMITS_PER_ADDRESS = (Limit(count=60, seconds=60), Limit(count=2000, seconds=24 * 60 * 60))
START_LIMITS_PER_ADDRESS = (Limit(count=30, seconds=10 * 60), Limit(count=300, seconds=24 * 60 * 60))
# Each message waits for the bot in a thread of its own. asyncio's default pool has only a few
# threads (CPUs + 4): one slow answer (a case being filed) would queue everyone else behind it.
BOT_CALLS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="chat-bot")
# The chat's database work (messages stored, limits counted) has threads of its own too. Channels'
# default is the one thread every socket of the process shares: 20 conversations took turns on it.
# Few, so that the chat holds few of the pool's database connections (DATABASE_POOL_SIZE).
CHAT_DATABASE = ThreadPoolExecutor(max_workers=4, thread_name_prefix="chat-db")
chat_database = partial(database_sync_to_async, thread_sensitive=False, executor=CHAT_DATABASE)
# Percent-encoded Korean takes 9 bytes a character: this keeps the link under the 8 KB request
# line a proxy such as nginx accepts by default. The widget keeps the whole text anyway.
REPORT_LINK_MAX_CHARACTERS = 800


class BotHealth:
    """Whether the bot's latest answer in this process failed (the socket's messages are handled
    on one event loop, so a plain attribute will do)."""

    down = False


BOT_HEALTH = BotHealth()


class RateLimited(Exception):
    def __init__(self, wait: int, text: str = ""):
        super().__init__(wait)
        self.wait = wait
        self.text = text  # what the resident wrote, for the report form link


def scope_as_request(scope: dict) -> HttpRequest:
    """What the portal's request helpers read (the host, to find the city's site; the client's
    address, for rate limits), taken from a websocket's scope."""
    request = HttpRequest()
    headers = dict(scope.get("headers") or [])
    if host := headers.get(b"host"):
        request.META["HTTP_HOST"] = host.decode("latin1")
    server_name, server_port = scope.get("server") or ("localhost", 80)
    request.META["SERVER_NAME"] = server_name or "localhost"
    request.META["SERVER_PORT"] = str(server_port or 80)
    # The socket's peer and the proxies' X-Forwarded-For, read by apps.common.client as for HTTP.
    client = scope.get("client")
    request.META["REMOTE_ADDR"] = client[0] if client else ""
    if forwarded := headers.get(b"x-forwarded-for"):
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded.decode("latin1")
    return request


# (scope, subject, limits): the subject is a client's hashed address or a conversation's uuid.
LimitCheck = tuple[str, str, tuple[Limit, ...]]


def _limits_hit(checks: tuple[LimitCheck, ...]) -> int:
    """Counts one try against every limit, in one step each (tries arriving at once from other
    threads or processes cannot slip past): 0 when all let it through, else the seconds to wait, and
    then the try counts against none of them."""
    for passed, (scope, subject, limits) in enumerate(checks):
        if wait := subject_limit_hit(scope=scope, subject=subject, limits=limits):
            _limits_forget(checks[:passed])
            return wait
    return 0


def _limits_forget(checks: tuple[LimitCheck, ...]) -> None:
    """Takes a counted try back (it was refused after all, or nothing was stored)."""
    for scope, subject, limits in checks:
        subject_limit_forget(scope=scope, subject=subject, limits=limits)


class ChatConsumer(AsyncJsonWebsocketConsumer):
    """One browser tab's chat. Messages are handled one at a time, in the order they came."""

    # Replies go back on this socket. What the portal itself says comes through the channel layer,
    # listened to by a task of its own (_listen) so that a channel layer that is down (Redis) does
    # not take the chat with it.
    channel_layer_alias = None

    async def connect(self) -> None:
        self.request = scope_as_request(self.scope)
        self.language = settings.LANGUAGE_CODE
        self.conversation: Conversation | None = None
        self.listener: asyncio.Task | None = None
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.listener:
            self.listener.cancel()
            # Wait for its receive() to end: a layer left mid-receive refuses the next loop that asks.
            with contextlib.suppress(asyncio.CancelledError):
                await self.listener

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Every frame gets an answer; a bad one an error, and the socket stays open for the next."""
        try:
            if text_data is None:
                raise Refused("bad_request")
            if len(text_data) > MAX_FRAME_LENGTH:
                raise Refused("too_long")
            try:
                event = json.loads(text_data)
            except ValueError:
                raise Refused("bad_request") from None
            kind = event.get("type") if isinstance(event, dict) else None
            if kind == "hello":
                await self.hello(hello_parse(event))
            elif kind == "message":
                if self.conversation is None:
                    raise Refused("bad_request")
                await self.message(resident_message_parse(event))
            else:
                raise Refused("bad_request")
        except Refused as refused:
            await self.send_error(refused.code, text=refused.text)
        except RateLimited as limited:
            await self.send_error("rate_limited", text=limited.text, wait=limited.wait)

    # --- hello: start or pick up a conversation ---------------------------------------------------

    async def hello(self, hello: Hello) -> None:
        self.language = hello.language
        self.conversation, history = await self._conversation_open(hello.signed_conversation)
        # A conversation keeps the language it started in (the page's then) until the resident asks
        # the bot for the other: a page in the other language does not switch it.
        self.language = self.conversation.language
        await self.send_json(
            {
                "type": "welcome",
                "conversation": conversation_id_sign(self.conversation.uuid),
                "history": history,
            }
        )
        if self.listener:
            self.listener.cancel()
        self.listener = asyncio.create_task(self._listen(services.conversation_group(self.conversation.uuid)))

    async def _listen(self, group: str) -> None:
        """Forwards what the portal says in this conversation to this socket, until it closes."""
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            channel = await layer.new_channel()
            await layer.group_add(group, channel)
            try:
                while True:
                    event = await layer.receive(channel)
                    if event.get("type") == "chat.bot":
                        await self.send_json({"type": "bot", "messages": event["messages"]})
            finally:
                await asyncio.shield(layer.group_discard(group, channel))
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - the transcript still has it on the next page load
            logger.warning("chat: not listening for the portal's messages to %s: %s", group, error)

    @chat_database
    def _conversation_open(self, signed: str | None) -> tuple[Conversation, list[dict]]:
        # A forged or expired id starts a new conversation, as if none had been sent.
        conversation = selectors.conversation_for_signed_id(signed) if signed else None
        if conversation is None:
            checks = (("chat-start", client_id(self.request), START_LIMITS_PER_ADDRESS),)
            if wait := _limits_hit(checks):
                raise RateLimited(wait)
            try:
                municipality = municipality_for_request(self.request)
                if municipality is None:
                    raise Refused("bot_down")  # no city set up yet: nothing could be filed anyway
                conversation = services.conversation_start(municipality=municipality, language=self.language)
            except BaseException:
                _limits_forget(checks)  # no conversation was started
                raise
        return conversation, selectors.conversation_transcript(conversation=conversation)

    # --- message: store, relay, store the replies ------------------------------------------------

    async def message(self, message: ResidentMessage) -> None:
        await self._message_store(message)
        await self.send_json({"type": "typing"})
        try:
            replies = await asyncio.get_running_loop().run_in_executor(
                BOT_CALLS,
                partial(
                    bot_send,
                    sender=str(self.conversation.uuid),
                    message=message.for_bot,
                    metadata={"language": self.language, **message.metadata},
                ),
            )
        except BotUnavailable as error:
            # An outage is a warning once; every message it fails after that is expected.
            level = logging.INFO if BOT_HEALTH.down else logging.WARNING
            BOT_HEALTH.down = True
            logger.log(level, "chat: the bot did not answer conversation %s: %s", self.conversation.uuid, error)
            # A case the bot filed before it died is told here, instead of offering the form again.
            if told := await self._bot_failed():
                await self.send_json({"type": "bot", "messages": [BotReply(text=m.text).as_json() for m in told]})
                return
            # The message is stored already; the resident is offered the form with the report so far.
            await self.send_error("bot_down", report=await self._report_so_far(message.text))
            return
        if BOT_HEALTH.down:
            BOT_HEALTH.down = False
            logger.info("chat: the bot answers again")
        shown = await self._replies_store(replies)
        self.language = self.conversation.language  # the resident may have asked for the other one
        await self.send_json({"type": "bot", "messages": [reply.as_json() for reply in shown]})

    @chat_database
    def _message_store(self, message: ResidentMessage) -> None:
        checks = (
            ("chat-conversation", str(self.conversation.uuid), MESSAGE_LIMITS_PER_CONVERSATION),
            ("chat-message", client_id(self.request), MESSAGE_LIMITS_PER_ADDRESS),
        )
        if wait := _limits_hit(checks):
            raise RateLimited(wait, message.text)
        try:
            services.message_record_from_resident(
                conversation=self.conversation, text=message.text, payload=message.payload, metadata=message.metadata
            )
        except BaseException:
            _limits_forget(checks)  # nothing was stored: the message does not count
            raise

    @chat_database
    def _replies_store(self, replies: list[BotReply]) -> list[BotReply]:
        services.message_record_from_bot(conversation=self.conversation, replies=replies)
        return [reply for reply in replies if reply.shows_anything]

    @chat_database
    def _bot_failed(self) -> list[Message]:
        return services.conversation_bot_failed(conversation=self.conversation)

    @chat_database
    def _report_so_far(self, unanswered: str) -> dict[str, str]:
        return selectors.conversation_report_so_far(conversation=self.conversation, unanswered=unanswered)

    # --- errors -----------------------------------------------------------------------------------

    async def send_error(self, code: str, *, text: str = "", wait: int = 0, report: dict | None = None) -> None:
        """An error frame; its report_url opens the form with `report` (the form's fields) filled in,
        else with `text` as the description."""
        with translation.override(self.language):
            messages = {
                "bot_down": _(
                    "The assistant cannot answer right now. You can report the problem with the form instead; "
                    "what you wrote is filled in for you."
                ),
                "rate_limited": ngettext(
                    "You are sending messages too quickly. Please wait %(seconds)s second and try again.",
                    "You are sending messages too quickly. Please wait %(seconds)s seconds and try again.",
                    wait,
                )
                % {"seconds": wait},
                "too_long": _("Please keep a message under %(limit)s characters, or use the report form.")
                % {"limit": MAX_TEXT_LENGTH},
                "bad_request": _("That message could not be read. Please try again."),
            }
            report_url = reverse("complaints:report")
        fields = {name: value[:REPORT_LINK_MAX_CHARACTERS] for name, value in (report or {"description": text}).items()}
        if fields := {name: value for name, value in fields.items() if value}:
            report_url += "?" + urlencode(fields)
        await self.send_json({"type": "error", "code": code, "message": messages[code], "report_url": report_url})
