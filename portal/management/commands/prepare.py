import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from apps.complaints.forms import CONSENT_PURPOSE
from apps.complaints.services import api_client_ensure
from apps.municipalities.models import Municipality


def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _run_when_changed(name: str, inputs: str, output: Path, action: Callable[[], None]) -> None:
    """Runs the action when its inputs changed or its output is missing, then remembers the inputs."""
    stamp = settings.VAR_DIR / f".{name}.sha256"
    if output.exists() and stamp.exists() and stamp.read_text() == inputs:
        return
    action()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(inputs)


class Command(BaseCommand):
    help = (
        "Bring a database up to date in one go: check it can be reached, migrate, compile translations "
        "and collect static files when they changed, load reference data, keep the chatbot's API client in step "
        "with CHATBOT_API_KEY, then load demo data, the demo trails, the demo archive and the demo datasets."
    )

    def handle(self, *args, **options):
        call_command("preflight")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("migrate", database="channels", interactive=False, verbosity=0)

        catalogs = list((settings.BASE_DIR / "locale").rglob("*.po"))
        _run_when_changed(
            "messages",
            _digest(catalogs),
            catalogs[0].with_suffix(".mo") if catalogs else settings.BASE_DIR,
            lambda: call_command("compilemessages", verbosity=0, ignore_patterns=[".venv", "chatbot"]),
        )
        if not settings.DEBUG:
            installed = settings.BASE_DIR / ".venv" / ".installed"
            sources = [settings.BASE_DIR / "static", *(settings.BASE_DIR / "apps").glob("*/static")]
            static_files = [p for source in sources for p in source.rglob("*") if p.is_file()]
            _run_when_changed(
                "static",
                _digest(static_files + ([installed] if installed.exists() else [])),
                Path(settings.STATIC_ROOT) / "staticfiles.json",
                lambda: call_command("collectstatic", interactive=False, verbosity=0),
            )
        call_command("load_reference_data")
        self._chatbot_client()
        call_command("load_demo_data")
        # After the site exists: turns its /trails/ section into the trails index, adds missing courses.
        call_command("load_demo_trails")
        # The city's public car parks from its 전국주차장정보표준데이터 file (idempotent).
        call_command("load_demo_car_parks")
        # An ILLUSTRATIVE bus and U Line timetable built from the real stop names (data/transit/).
        call_command("import_gtfs", str(settings.BASE_DIR / "data/transit/uijeongbu-illustrative"))
        # ILLUSTRATIVE rivers, stations (alert levels read from a recorded HRFCO answer), entrances
        # and a day of water levels (data/rivers/).
        call_command("load_demo_rivers")
        # The archive's demo items: the heritage list and ILLUSTRATIONS drawn here, never real photographs.
        call_command("load_demo_archive")
        call_command("load_demo_datasets")

    def _chatbot_client(self) -> None:
        """The API client the bot files cases as, taking the key its action server is given."""
        if not settings.CHATBOT_API_KEY:
            self.stdout.write("CHATBOT_API_KEY is not set: skipping the chatbot's API client")
            return
        city = Municipality.objects.filter(code=settings.DEFAULT_MUNICIPALITY).first()
        if city is None:
            raise CommandError(f"DEFAULT_MUNICIPALITY {settings.DEFAULT_MUNICIPALITY!r} is not in the reference data.")
        # The bot shows residents the same purpose as the report form, in their language.
        with translation.override(settings.LANGUAGE_CODE):
            purpose = str(CONSENT_PURPOSE)
        client, outcome = api_client_ensure(
            municipality=city,
            name=settings.CHATBOT_API_CLIENT_NAME,
            key=settings.CHATBOT_API_KEY,
            consent_purpose=purpose,
            # The bot asks residents for the digits inside a conversation; no other client may.
            can_look_up_by_phone=True,
        )
        self.stdout.write(f"chatbot API client {client.name!r}: {outcome}")
