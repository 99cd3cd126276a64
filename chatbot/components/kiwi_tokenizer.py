"""Korean morpheme tokenizer for Rasa, using kiwipiepy (its model ships as a PyPI package).

"의정부역 앞에 불법주차 차량이 있어요" becomes 의정부/역/앞/에/불법/주차/차량/이/있/어요: stems
come free of particles and endings, and "불법주차" and "불법 주차" share their tokens. Latin
words stay whole ("There is a pothole" -> There/is/a/pothole), so one pipeline serves Korean and
English. Each token keeps its span in the text and carries Kiwi's morpheme form as its lemma,
which the CountVectorsFeaturizers use. See docs/decisions/0012-korean-tokenisation.md.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

# Kiwi's tags for punctuation and symbols: not tokens for intent classification.
PUNCTUATION_TAGS = {"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW"}


@lru_cache(maxsize=1)
def kiwi():
    """One analyser per process: loading Kiwi's model takes about a second and 0.5 GB."""
    from kiwipiepy import Kiwi

    return Kiwi()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class KiwiTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> list[str] | None:
        return None  # Korean, and whatever Latin-script text comes with it

    @staticmethod
    def required_packages() -> list[str]:
        return ["kiwipiepy"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KiwiTokenizer:
        # Load Kiwi's model with the Rasa model, not on the first message: that one would
        # otherwise take about two seconds longer (the portal's triage waits at most two).
        kiwi().tokenize("의정부")
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute)
        tokens: list[Token] = []
        for morpheme in kiwi().tokenize(text):
            if morpheme.tag in PUNCTUATION_TAGS:
                continue
            start, end = morpheme.start, morpheme.start + morpheme.len
            if tokens and start < tokens[-1].end:
                # Contracted morphemes share characters (했 = 하 + 었): keep one token for the span.
                previous = tokens[-1]
                start, end = previous.start, max(previous.end, end)
                tokens[-1] = Token(text[start:end], start, end, lemma=previous.lemma + morpheme.form)
                continue
            tokens.append(Token(text[start:end], start, end, lemma=morpheme.form))
        if not tokens:
            tokens = [Token(text, 0, len(text))]
        return self._apply_token_pattern(tokens)
