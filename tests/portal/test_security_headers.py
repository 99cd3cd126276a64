"""Content-Security-Policy, HSTS and Django's deployment checklist."""

import base64
import hashlib
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "a-production-like-secret-key-" + "x7Qp2" * 10,
    "ALLOWED_HOSTS": "portal.uijeongbu.go.kr",
    "CSRF_TRUSTED_ORIGINS": "https://portal.uijeongbu.go.kr",
    "SITE_URL": "https://portal.uijeongbu.go.kr",
    "TRUSTED_PROXY_COUNT": "1",
}


def directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def test_public_pages_allow_no_inline_script_and_only_their_own_sources(client, demo_site):
    response = client.get("/ko/complaints/report/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert "'self'" in policy["connect-src"]
    assert settings.MAP_TILE_SOURCE in policy["img-src"]  # the map's tiles


def test_the_admin_has_its_own_policy(client, db):
    policy = directives(client.get("/admin/login/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]  # Wagtail's own inline scripts
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]


def test_the_tile_servers_host_is_allowed_even_with_subdomains(monkeypatch):
    out = subprocess.run(
        [
            str(settings.BASE_DIR / ".venv/bin/python"),
            "-c",
            "from portal import settings; print(settings.MAP_TILE_SOURCE)",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "MAP_TILE_URL": "https://{s}.tiles.example.kr:8443/{z}/{x}/{y}.png"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split()[-1] == "https://*.tiles.example.kr:8443"


def template_files() -> list[Path]:
    roots = [settings.BASE_DIR / "templates", settings.BASE_DIR / "content" / "templates"]
    roots += sorted((settings.BASE_DIR / "apps").glob("*/templates"))
    return [path for root in roots for path in root.rglob("*.html") if "/admin/" not in path.as_posix()]


@pytest.mark.parametrize("path", template_files(), ids=lambda path: path.name)
def test_public_templates_have_no_inline_script(path):
    text = path.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or re.search(r'type="application/(ld\+)?json"', tag), f"{path}: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", text), f"{path}: an on* event handler attribute"
    assert "javascript:" not in text, path


def test_the_error_pages_inline_style_is_the_one_the_policy_allows():
    css = re.search(r"<style>(.*?)</style>", (settings.BASE_DIR / "templates/500.html").read_text(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]


def test_the_documented_production_settings_pass_the_deployment_checklist(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(PRODUCTION, VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}")
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [str(settings.BASE_DIR / ".venv/bin/python"), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    script = "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"
    shown = subprocess.run(
        [str(settings.BASE_DIR / ".venv/bin/python"), "manage.py", "shell", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.stdout.split()[-2:] == ["31536000", "True"]
