"""Settings of the test suite: the production settings module, given a test environment.

`swstation/settings.py` reads everything from the environment and has no test switch. This
module supplies the environment a test run needs, as a developer's shell or a deployment's
env file would, imports the real settings, and adds the one thing only tests want: a fast
password hasher. pytest-django imports it (pyproject: DJANGO_SETTINGS_MODULE) before any
conftest, which would be too late to set environment variables. A variable already set in the
environment (DATABASE_URL, DEBUG...) wins over these defaults.
"""

import os

TEST_ENVIRONMENT = {
    "SECRET_KEY": "swstation-tests-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    # The test client's host (testserver) is added by Django's test set-up; these are the live
    # server's for the browser journeys.
    "ALLOWED_HOSTS": "127.0.0.1,localhost,[::1]",
    # Plain HTTP test client and live server: no HTTPS redirect, no secure-only cookies.
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    # No collected static files: served from the finders, as in development.
    "STATIC_ROOT": "",
    # Fixed, public keys for personal data ("swstation-tests-encryption-key-1" and
    # "swstation-tests-lookup-hash-key-" in base64).
    "PERSONAL_DATA_KEYS": "c3dzdGF0aW9uLXRlc3RzLWVuY3J5cHRpb24ta2V5LTE=",
    "PERSONAL_DATA_HASH_KEY": "c3dzdGF0aW9uLXRlc3RzLWxvb2t1cC1oYXNoLWtleS0=",
    # The imports' check and import run in the request that starts them (no worker in tests;
    # tests/core/test_import_speed.py runs the queue as the worker does).
    "IMPORT_TASKS": "immediate",
}
for _name, _value in TEST_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

from swstation.settings import *  # noqa: E402, F403

# Hashing is slow on purpose; tests create hundreds of users and need no protection.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
