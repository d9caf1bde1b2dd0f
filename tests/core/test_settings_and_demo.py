"""Production-safe settings and the demo command's guard rails."""

import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.management import CommandError, call_command

PROD_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-0123456789",
    "ALLOWED_HOSTS": "swstation.example.gov.cn",
    "SECURE_HSTS_PRELOAD": "true",
    "DATABASE_URL": "sqlite:////tmp/swstation-deploy-check.sqlite3",
}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DEBUG", "SECRET"))}
    return subprocess.run(
        [sys.executable, "-m", "swstation", *args],
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


def test_demo_refuses_with_debug_off() -> None:
    result = _run(["demo"], PROD_ENV)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


@pytest.mark.django_db
def test_demo_command_refuses_in_process_with_debug_off(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo")
