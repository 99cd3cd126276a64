"""Suggests a complaint category for a resident's own words.

The chatbot's trained model answers first, so the report form's suggestion and the bot agree: the
text goes to Rasa's `/model/parse`, and its `report_<code>` intents (the category code with `-`
as `_`) are mapped back to this city's active categories. When the bot cannot be reached, answers
with an error, or names no category with at least `MODEL_MIN_CONFIDENCE`, a baseline answers
instead, and the result says which one did (`source`).

The baseline compares the text with each category's names, example report, extra questions and
its department's duties, as character bigrams weighted by how rare they are (TF-IDF), which copes
with Korean particles and spacing errors without a tokenizer. It knows only what administrators
wrote about each category, so it is much weaker than the model: on the bot's 578 held-out
complaint sentences it chose the right category for 53 %, the model for 93 % (chatbot/README.md,
"NLU").
"""

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import requests

from apps.common.rasa import rasa_json
from apps.complaints.models import Category

logger = logging.getLogger(__name__)

MIN_SCORE = 0.05  # baseline: below this nothing matched; the case goes to the triage desk ("other")
# The model is asked with a short timeout: the report form asks while the resident types.
MODEL_TIMEOUT = 2.0
# Below this the model's best category is a guess and the baseline answers. Measured on the bot's
# 578 held-out complaint sentences: under 0.2 the model was right for 5 in 16, no better than the
# baseline (4); from 0.2 to 0.3 for 7 in 15 (the baseline 1), and above that for 9 in 10. Text that
# is no complaint at all (greetings, questions, "ㅋㅋㅋ") stays under 0.2 in 95 cases in 100, and
# the baseline usually finds nothing in it either: it goes to the triage desk with confidence 0.
MODEL_MIN_CONFIDENCE = 0.2
INTENT_PREFIX = "report_"

MODEL = "model"
BASELINE = "baseline"


@dataclass(frozen=True)
class Suggestion:
    category: Category
    confidence: float


@dataclass(frozen=True)
class Triage:
    """Categories, most likely first (empty when nothing matched), and who ranked them."""

    source: str
    suggestions: list[Suggestion] = field(default_factory=list)


def intent_name(code: str) -> str:
    """The bot's intent for a category code: `illegal-parking` -> `report_illegal_parking`."""
    return INTENT_PREFIX + code.replace("-", "_")


def suggest(text: str, categories: list[Category]) -> Triage:
    """Ranks the given categories (the city's active ones) for the text: the model, else the baseline."""
    ranked = model_suggest(text, categories)
    if ranked is not None:
        return Triage(MODEL, ranked)
    return Triage(BASELINE, baseline_suggest(text, categories))


def model_suggest(text: str, categories: list[Category]) -> list[Suggestion] | None:
    """The trained model's ranking, or None when it is unreachable, fails, or is unsure."""
    try:
        parsed = rasa_json("POST", "/model/parse", json={"text": text}, timeout=MODEL_TIMEOUT)
        ranking = parsed.get("intent_ranking") or []
        by_intent = {intent_name(category.code): category for category in categories}
        ranked = [
            Suggestion(by_intent[intent["name"]], round(float(intent["confidence"]), 3))
            for intent in ranking
            if intent.get("name") in by_intent
        ]
    except (requests.RequestException, ValueError, TypeError, KeyError, AttributeError) as error:
        logger.warning("triage: the bot's model did not answer (%s); using the baseline", error)
        return None
    if not ranked or ranked[0].confidence < MODEL_MIN_CONFIDENCE:
        return None
    return ranked


def _bigrams(text: str) -> Counter:
    words = re.findall(r"[0-9a-z\uac00-\ud7a3]+", text.lower())
    grams: Counter = Counter()
    for word in words:
        padded = f" {word} " if word.isascii() else word
        grams.update(padded[i : i + 2] for i in range(len(padded) - 1))
    return grams


def _profile(category: Category) -> str:
    questions = " ".join(f"{q.description_ko} {q.description_en}" for q in category.questions.all())
    return " ".join([category.name_ko, category.name_en, category.example_ko, questions, category.department.handles])


def baseline_suggest(text: str, categories: list[Category]) -> list[Suggestion]:
    """Categories ordered by likelihood, with confidences that add up to at most 1."""
    profiles = {category: _bigrams(_profile(category)) for category in categories}
    document_frequency = Counter(gram for grams in profiles.values() for gram in grams)
    total = len(profiles)

    def weights(grams: Counter) -> dict[str, float]:
        return {g: count * math.log((1 + total) / (1 + document_frequency[g])) for g, count in grams.items()}

    query = weights(_bigrams(text))
    query_norm = math.sqrt(sum(w * w for w in query.values())) or 1.0
    scores = []
    for category, grams in profiles.items():
        profile = weights(grams)
        norm = math.sqrt(sum(w * w for w in profile.values())) or 1.0
        score = sum(w * profile.get(g, 0.0) for g, w in query.items()) / (norm * query_norm)
        scores.append((score, category))
    scores.sort(key=lambda pair: pair[0], reverse=True)
    if not scores or scores[0][0] < MIN_SCORE:
        return []
    # Sharpen the cosine scores into confidences: a clear winner gets most of the mass.
    exponentials = [(math.exp(12 * score), category) for score, category in scores]
    mass = sum(value for value, _ in exponentials)
    return [Suggestion(category, round(value / mass, 3)) for value, category in exponentials]
