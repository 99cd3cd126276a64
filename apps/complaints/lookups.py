"""What every case filed through the APIs looks up first, kept in the site's cache: the API client a
key belongs to, and the category a code names (with its questions, and its department, whose
details a filing does not read). Three queries of each filing, a third of its work, for rows that
change a few times a year (docs/decisions/0022-filing-under-load.md).

An entry is forgotten when its rows change, at once and again when the change commits (a request
that read the old rows in between must not keep them), and after a minute in any case, which also
bounds how long a change made while the cache was unreachable can go unseen (and how long a
category's old code keeps working after an admin renamed it). Changes that skip the model's signals
(`QuerySet.update`, `bulk_create`) must call the `forget_*` functions themselves.
"""

import re

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from apps.complaints.models import ApiClient, Category, CategoryQuestion
from apps.municipalities.models import Municipality

LOOKUP_SECONDS = 60
KEY_PREFIX = "complaints:lookup"
CATEGORY_CODE = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def api_client_key(key_hash: str) -> str:
    return f"{KEY_PREFIX}:api-client:{key_hash}"


def category_key(municipality_id: int, code: str) -> str | None:
    """None for a code no category can have (it is not looked up in the cache)."""
    return f"{KEY_PREFIX}:category:{municipality_id}:{code}" if CATEGORY_CODE.fullmatch(code) else None


def category_for_filing(*, municipality: Municipality, code: str) -> Category | None:
    """The city's active category of this code, with its department and questions."""
    key = category_key(municipality.pk, code)
    category = cache.get(key) if key else None
    if category is None:
        category = (
            Category.objects.filter(municipality=municipality, code=code, is_active=True)
            .select_related("department")
            .prefetch_related("questions")
            .first()
        )
        if category is None:
            return None
        if key:
            cache.set(key, category, LOOKUP_SECONDS)
    category.municipality = municipality  # the caller's, not a copy kept with the category
    return category


def _forget(keys: list[str]) -> None:
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def forget_api_clients(*key_hashes: str) -> None:
    _forget([api_client_key(key_hash) for key_hash in key_hashes])


def forget_categories(categories: list[Category]) -> None:
    _forget([key for category in categories if (key := category_key(category.municipality_id, category.code))])


def _api_client_changed(sender: type[Model], instance: ApiClient, **kwargs) -> None:
    forget_api_clients(instance.key_hash)


def _category_changed(sender: type[Model], instance: Category, **kwargs) -> None:
    forget_categories([instance])


def _question_changed(sender: type[Model], instance: CategoryQuestion, **kwargs) -> None:
    forget_categories(list(Category.objects.filter(pk=instance.category_id)))


def connect() -> None:
    """Forget entries when their rows change (called once, when the app is ready)."""
    for model, receiver in (
        (ApiClient, _api_client_changed),
        (Category, _category_changed),
        (CategoryQuestion, _question_changed),
    ):
        for change, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(receiver, sender=model, dispatch_uid=f"complaints.lookups.{model.__name__}.{change}")
