"""The resident asking for another reply language ("English please", "영어로 해 주세요",
"한국어로요"), read by rule rather than learnt: the request is rare, must never be missed, and must
never be read into a complaint that merely mentions a language ("영어로 된 안내판이 깨졌어요").

Runs after the FallbackClassifier: a whole message that is such a request becomes the intent
set_language with a `language` entity ("ko" or "en"), as the payload /set_language{"language": "en"}
would. Every other message is left as the classifiers read it.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

INTENT_NAME = "set_language"
ENTITY = "language"
# A request is short; a longer message is about something else, whatever it mentions.
MAX_CHARS = 40

NAMES = {"en": "english|영어|잉글리시|영문", "ko": "korean|한국어|한국말|한글|국문"}

# English wording: "English please", "in English", "can you speak English?", "switch to Korean".
ENGLISH_REQUEST = (
    r"(?:(?:can|could|would|will|do) you |please |pls |i (?:want|prefer|need|would like) )?"
    r"(?:(?:speak|answer|reply|respond|talk|write|chat|continue|go on)(?: to me)?(?: in)? "
    r"|(?:switch|change)(?: (?:the )?language)? (?:to|into) |in |use )?"
    r"(?:{names})(?: (?:please|pls|only|instead|now))*"
)
# Korean wording, read without spaces: "영어로 해 주세요", "한국어로요", "영어 가능한가요", "영어로 좀 부탁해요".
KOREAN_REQUEST = (
    r"(?:{names})(?:로|으로)?(?:좀)?"
    r"(?:해|말해|대답해|답해|답변해|얘기해|이야기해|바꿔|변경해|진행해|안내해|써|알려)?"
    r"(?:주세요|줘요|줘|줄래요|줄래|주실래요|주시겠어요|주실수있나요|줄수있어요|주시면좋겠어요)?"
    r"(?:요|부탁해요|부탁합니다|부탁드려요|부탁드립니다|부탁해|가능해요|가능한가요|가능할까요|가능하나요|가능"
    r"|돼요|되나요|될까요|할수있어요|할줄알아요|해요|하세요)?"
)
REQUESTS = {
    language: (
        re.compile(ENGLISH_REQUEST.format(names=names)),
        re.compile(KOREAN_REQUEST.format(names=names)),
    )
    for language, names in NAMES.items()
}
# Punctuation, emoji and the like around the words.
NOT_WORDS = re.compile(r"[^\w\s]+")


def requested_language(text: str) -> str | None:
    """ "en" or "ko" when the whole message asks for that reply language, else None."""
    if not text or text.startswith("/") or len(text) > MAX_CHARS:
        return None
    words = " ".join(NOT_WORDS.sub(" ", text.lower()).split())
    for language, (english, korean) in REQUESTS.items():
        if english.fullmatch(words) or korean.fullmatch(words.replace(" ", "")):
            return language
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageRequestClassifier(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageRequestClassifier:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            language = requested_language(text)
            if language is None:
                continue
            intent = {"name": INTENT_NAME, "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
            entity = {
                "entity": ENTITY,
                "value": language,
                "start": 0,
                "end": len(text),
                "extractor": self.__class__.__name__,
            }
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages
