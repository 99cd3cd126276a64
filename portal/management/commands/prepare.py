import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


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
        "and collect static files when they changed, then load reference and demo data."
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
            static_files = [p for p in (settings.BASE_DIR / "static").rglob("*") if p.is_file()]
            _run_when_changed(
                "static",
                _digest(static_files + ([installed] if installed.exists() else [])),
                Path(settings.STATIC_ROOT) / "staticfiles.json",
                lambda: call_command("collectstatic", interactive=False, verbosity=0),
            )
        call_command("load_reference_data")
        call_command("load_demo_data")
