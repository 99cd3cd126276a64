"""Suggests a complaint category for a resident's own words.

A baseline until the chatbot's trained model answers this (issue: the 민원 chatbot): each
category is described by its names, its example report, the extra questions it asks and what
its department handles; text and descriptions are compared as character bigrams weighted by how
rare they are (TF-IDF), which copes with Korean particles and spacing errors without a tokenizer.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

from apps.complaints.models import Category

MIN_SCORE = 0.05  # below this nothing matched; the case goes to the triage desk ("other")


@dataclass(frozen=True)
class Suggestion:
    category: Category
    confidence: float


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


def suggest(text: str, categories: list[Category]) -> list[Suggestion]:
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
