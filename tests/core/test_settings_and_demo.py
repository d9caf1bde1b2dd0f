"""Production-safe settings and the demo command's guard rails."""

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

PROD_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-0123456789",
    "ALLOWED_HOSTS": "swstation.example.gov.cn",
    "SECURE_HSTS_PRELOAD": "true",
    "DATABASE_URL": "sqlite:////tmp/swstation-deploy-check.sqlite3",
    "PERSONAL_DATA_KEYS": f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
    "PERSONAL_DATA_HASH_KEY": Fernet.generate_key().decode(),
}
# What a production process inherits from its system: no variable of the test environment
# (tests/settings.py), nothing of Django's.
SYSTEM_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")


def _run(
    args: list[str], env: dict[str, str], command: tuple[str, ...] = ("-m", "swstation")
) -> subprocess.CompletedProcess[str]:
    base = {name: os.environ[name] for name in SYSTEM_VARIABLES if name in os.environ}
    return subprocess.run(
        [sys.executable, *command, *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_documented_environment() -> None:
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start() -> None:
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_fails_without_explicit_personal_data_keys() -> None:
    """Keys derived from SECRET_KEY are for development: with DEBUG off, no keys, no start
    (malformed keys: tests/core/test_personal_data_keys.py)."""
    env = {k: v for k, v in PROD_ENV.items() if not k.startswith("PERSONAL_DATA")}
    result = _run(["check", "--deploy"], env)
    assert result.returncode != 0
    assert "swstation.E001" in result.stderr
    assert "PERSONAL_DATA_KEYS is not set" in result.stderr
    assert "PERSONAL_DATA_HASH_KEY is not set" in result.stderr


def test_settings_behave_as_in_production_when_pytest_is_loaded() -> None:
    """Importing pytest changes nothing: with DEBUG off and no environment, the settings
    refuse to load (no SECRET_KEY), and with only a SECRET_KEY they are production's."""
    load = "import pytest, swstation.settings as s"
    bare = _run(["-c", load], {"DEBUG": "false"}, command=())
    assert bare.returncode != 0
    assert "ImproperlyConfigured" in bare.stderr
    assert "SECRET_KEY" in bare.stderr

    show = (
        f"{load}, json; print(json.dumps([s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "bool(s.STATIC_ROOT), s.STORAGES['staticfiles']['BACKEND'], "
        "s.WHITENOISE_USE_FINDERS, hasattr(s, 'PASSWORD_HASHERS'), hasattr(s, 'TESTING'), "
        "s.ADMIN_ENABLED, s.API_DOCS_PUBLIC]))"
    )
    result = _run(["-c", show], {"SECRET_KEY": PROD_ENV["SECRET_KEY"]}, command=())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        [],
        True,
        True,
        True,
        31536000,
        True,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        False,
        False,
        False,
        False,
        False,
    ]


def test_demo_refuses_with_debug_off() -> None:
    result = _run(["demo"], PROD_ENV)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


@pytest.mark.django_db
def test_demo_command_refuses_in_process_with_debug_off(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo")
