"""Data a whole test package shares, loaded once instead of once per test."""

from collections.abc import Callable, Iterator

from django.db import transaction


def loaded_for_the_package(django_db_blocker, load: Callable[[], int]) -> Iterator[int]:
    """Runs `load` (which returns the city's id) in a transaction that each test's own (a savepoint
    inside it) rolls back to, so no test sees another's changes, and that is rolled back after the
    package, so no other package sees it. For a package-scoped fixture: `yield from` it. Tests of
    such a package must not be transactional (transaction=True would empty the shared data)."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            city_id = load()
        yield city_id
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
