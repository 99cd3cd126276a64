from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.utils import Error as DatabaseError


def _described(config: dict) -> str:
    if config["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {config['NAME']}"
    # Never print the password.
    engine = config["ENGINE"].rsplit(".", 1)[-1]
    return f"{engine} at {config.get('HOST') or 'localhost'}:{config.get('PORT') or ''}/{config['NAME']}"


class Command(BaseCommand):
    help = "Check, before anything starts, that the configured database and broker can be reached."

    def handle(self, *args, **options):
        config = settings.DATABASES["default"]
        try:
            connections["default"].ensure_connection()
        except DatabaseError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__
            raise CommandError(
                f"Cannot reach the database ({_described(config)}), check DATABASE_URL: {reason}"
            ) from None
        if settings.REDIS_URL:
            from portal.health import check_broker

            try:
                check_broker()
            except Exception as error:  # noqa: BLE001 - reported as one line
                raise CommandError(f"Cannot reach Redis, check REDIS_URL: {error}") from None
        self.stdout.write(f"database: {_described(config)}; broker: {settings.CELERY_BROKER_URL.split('://')[0]}")
