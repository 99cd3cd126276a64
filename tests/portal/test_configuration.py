import os
import subprocess
import sys

from django.conf import settings


def run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    environment.update(env)
    return subprocess.run(
        command, cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=300, check=False
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run([sys.executable, "manage.py", "check"], DJANGO_DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_database_url_is_one_clear_line():
    result = run([sys.executable, "manage.py", "check"], DATABASE_URL="not-a-url", SECRET_KEY="x")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("Configuration error: DATABASE_URL is not a database")
    assert "Traceback" not in result.stderr


def test_the_run_command_stops_with_one_clear_line_when_the_database_cannot_be_reached(tmp_path):
    result = run(
        ["bin/run"], DATABASE_URL="postgres://portal:secret@127.0.0.1:1/portal", VAR_DIR=str(tmp_path), CI="true"
    )
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("CommandError: Cannot reach the database (postgresql at 127.0.0.1:1/portal)")
    assert "secret" not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
