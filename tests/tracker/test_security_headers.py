"""Headers on every answer, templates free of inline script and style, the production mode."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_pages_carry_csp_permissions_and_referrer_policies(client, analyst):
    client.force_login(analyst)
    response = client.get("/accounts/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_login_page_has_the_policy_too(client):
    assert "default-src 'self'" in client.get("/auth/login/")["Content-Security-Policy"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"), "script"),
    (re.compile(r"<style\b"), "<style>"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert found == []


def _production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DISCLOSURE_"))
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="tracker.example.org",
        DISCLOSURE_KEYS="YJpr0dLpn8T0XgyyyT8mVmsrJ3-HRW4PHIvWbgAj6nY=",
        **extra,
    )
    return env


def test_check_deploy_reports_nothing_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


COOKIE_SETTINGS = """
import django

django.setup()
from django.conf import settings

print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME)
print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SECURE)
print(settings.SESSION_COOKIE_DOMAIN, settings.CSRF_COOKIE_DOMAIN, settings.LANGUAGE_COOKIE_DOMAIN)
print(settings.SESSION_COOKIE_PATH, settings.CSRF_COOKIE_PATH, settings.LANGUAGE_COOKIE_PATH)
"""


def _cookie_settings(env) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", COOKIE_SETTINGS],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "tracker.settings", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-4:]


def test_production_cookies_carry_the_host_prefix_secure_on_path_slash_without_domain():
    # A browser accepts a __Host- cookie only with Secure, Path=/ and no Domain.
    assert _cookie_settings(_production_env()) == [
        "__Host-sessionid __Host-csrftoken __Host-django_language",
        "True True True",
        "None None None",
        "/ / /",
    ]


def test_without_secure_cookies_the_names_have_no_prefix():
    # Over plain HTTP (development) a browser would drop a __Host- cookie.
    names = _cookie_settings(_production_env(DJANGO_SECURE_COOKIES="false"))[0]
    assert names == "sessionid csrftoken django_language"


@pytest.mark.django_db
def test_signing_in_works_with_host_prefixed_cookies(client, analyst, settings):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    analyst.set_password("a-long-enough-password-2026")
    analyst.save()

    form = client.get("/auth/login/", secure=True)
    csrf = form.cookies["__Host-csrftoken"]
    assert (csrf["secure"], csrf["path"], csrf["domain"]) == (True, "/", "")
    signed_in = client.post(
        "/auth/login/",
        {"username": analyst.username, "password": "a-long-enough-password-2026"},
        secure=True,
    )

    assert signed_in.status_code == 302
    session = signed_in.cookies["__Host-sessionid"]
    assert (session["secure"], session["path"], session["domain"]) == (True, "/", "")
    assert "sessionid" not in signed_in.cookies
    assert client.get("/accounts/", secure=True).status_code == 200
