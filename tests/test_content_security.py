"""Headers and settings of a service on the internet: the Content Security Policy and templates that keep
to it, HTTPS settings from the environment, `check --deploy` clean in the documented production
configuration, and the API docs behind sign-in."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.api_client import client_as

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "servicepact"
OPERATIONS = ROOT / "docs" / "operations.md"

# Templates rendered for WeasyPrint into a PDF, never sent to a browser: their <style> stays.
NOT_FOR_BROWSERS = ("slm/templates/slm/pdf/", "billing/templates/billing/pdf/")

INLINE = [
    # A <script> without src runs inline; data blocks (JSON for a script to read) do not run.
    (
        re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/(?:ld\+)?json[\"'])[^>]*>", re.I),
        "inline <script>",
    ),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "inline event handler (on...=)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style\b", re.I), "inline <style>"),
]


def browser_templates() -> list[Path]:
    return sorted(
        path
        for path in SOURCE.rglob("templates/**/*.html")
        if not any(part in path.as_posix() for part in NOT_FOR_BROWSERS)
    )


def inline_code(text: str) -> list[tuple[int, str]]:
    found = []
    for pattern, what in INLINE:
        for match in pattern.finditer(text):
            found.append((text.count("\n", 0, match.start()) + 1, what))
    return found


def test_no_template_has_inline_script_handlers_or_styles():
    templates = browser_templates()
    assert len(templates) > 30
    problems = [
        f"{path.relative_to(SOURCE)}:{line}: {what}"
        for path in templates
        for line, what in inline_code(path.read_text())
    ]
    assert not problems, "the Content Security Policy would block these; move them to static files:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="text/javascript">x()</script>',
        '<button onclick="go()">',
        '<a href="javascript:go()">',
        '<div style="width: 5%">',
        "<style>p { color: red }</style>",
        '<body\n  onload="go()">',
    ],
)
def test_the_scan_finds_each_kind_of_inline_code(snippet):
    assert inline_code(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/servicepact/servicepact.js" defer></script>',
        '<script type="application/json" id="data">{}</script>',
        "<select data-submit-on-change>",
        '<div class="meter" data-style="x">',
    ],
)
def test_the_scan_lets_static_scripts_and_data_pass(snippet):
    assert not inline_code(snippet)


def test_pages_are_sent_with_a_content_security_policy_without_inline_code(client, db):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy
    assert response["X-Frame-Options"] == "DENY"


# -- the API docs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["agent", "requester"])
def test_api_docs_are_served_to_people_signed_in_without_third_party_scripts(world, person):
    response = client_as(world.people[person]).get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", page)
    assert scripts == [
        "/static/servicepact/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js",
        "/static/servicepact/api-docs.js",
    ]
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page), "nothing may come from another site"
    assert inline_code(page) == []
    assert 'data-openapi-url="/api/openapi.json"' in page
    assert client_as(world.people[person]).get("/api/openapi.json").json()["paths"]


def test_swagger_ui_is_vendored_with_its_licence_and_sends_the_document_to_no_validator():
    vendored = SOURCE / "static" / "servicepact" / "vendor" / "swagger-ui-5.35.0"
    assert "Apache License" in (vendored / "LICENSE.txt").read_text()
    assert (vendored / "swagger-ui-bundle.js").stat().st_size > 1_000_000
    starter = (SOURCE / "static" / "servicepact" / "api-docs.js").read_text()
    assert "validatorUrl: null" in starter


def test_api_docs_send_strangers_to_the_login_page_and_the_document_answers_401(client, db):
    docs = client.get("/api/docs")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("accounts:login") + "?next=/api/docs")
    document = client.get("/api/openapi.json")
    assert document.status_code == 401
    assert document["Content-Type"] == "application/problem+json"
    assert "paths" not in document.json()


def test_the_openapi_document_accepts_an_api_token(world):
    secret = client_as(world.people["agent"]).post("/api/tokens", {"name": "docs"}, content_type="application/json")
    document = client_as(None).get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {secret.json()['secret']}")
    assert document.status_code == 200 and document.json()["paths"]
    wrong = client_as(None).get("/api/openapi.json", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert wrong.status_code == 401


def test_api_docs_open_to_everyone_when_configured(client, db, settings):
    settings.SERVICEPACT_API_DOCS_PUBLIC = True
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").json()["paths"]


# -- settings from the environment, and check --deploy --------------------------------------------------


def environment(data_dir: Path, **values: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SERVICEPACT_") and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(SERVICEPACT_DATA_DIR=str(data_dir), **values)
    return env


def servicepact(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "servicepact", *args], env=env, capture_output=True, text=True, timeout=120
    )


def setting_values(env: dict[str, str], *names: str) -> list[str]:
    code = "from django.conf import settings; " + "; ".join(f"print(repr(settings.{name}))" for name in names)
    result = servicepact("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-len(names) :]


def documented_production_environment() -> dict[str, str]:
    """The env file under <!-- production-environment --> in docs/operations.md."""
    text = OPERATIONS.read_text()
    block = re.search(r"<!-- production-environment -->\s*```ini\n(.*?)```", text, re.S)
    assert block, "docs/operations.md lost its production environment block"
    values = dict(line.split("=", 1) for line in block.group(1).splitlines() if line.strip())
    assert all(name.startswith("SERVICEPACT_") or name == "DATABASE_URL" for name in values)
    return values


HTTPS_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
)


def test_served_over_https_cookies_are_secure_with_redirect_and_hsts_by_default(tmp_path):
    assert setting_values(environment(tmp_path), *HTTPS_SETTINGS) == ["False", "False", "False", "0", "None"]
    https = environment(tmp_path, SERVICEPACT_HTTPS="true", SERVICEPACT_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert setting_values(https, *HTTPS_SETTINGS) == [
        "True",
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO', 'https')",
    ]
    chosen = environment(
        tmp_path, SERVICEPACT_HTTPS="true", SERVICEPACT_SECURE_COOKIES="false", SERVICEPACT_HSTS_SECONDS="300"
    )
    assert setting_values(chosen, "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS") == ["False", "300"]


def test_a_bad_proxy_header_stops_start_up_naming_the_variable(tmp_path):
    result = servicepact("check", env=environment(tmp_path, SERVICEPACT_PROXY_SSL_HEADER="X-Forwarded-Proto: https"))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("servicepact: configuration error: SERVICEPACT_PROXY_SSL_HEADER=")
    )


def test_check_deploy_is_clean_in_the_documented_production_configuration(tmp_path):
    values = documented_production_environment()
    assert values["SERVICEPACT_SECRET_KEY"].startswith("<")  # a placeholder, filled here as the docs say
    values.update(SERVICEPACT_SECRET_KEY=secrets.token_urlsafe(50))
    values.pop("SERVICEPACT_DATA_DIR")
    result = servicepact("check", "--deploy", "--fail-level", "WARNING", env=environment(tmp_path, **values))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_https_settings(tmp_path):
    values = documented_production_environment()
    values.update(SERVICEPACT_SECRET_KEY=secrets.token_urlsafe(50))
    values.pop("SERVICEPACT_DATA_DIR")
    for name in ("SERVICEPACT_HTTPS", "SERVICEPACT_HSTS_INCLUDE_SUBDOMAINS", "SERVICEPACT_HSTS_PRELOAD"):
        values.pop(name)
    result = servicepact("check", "--deploy", "--fail-level", "WARNING", env=environment(tmp_path, **values))
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout
