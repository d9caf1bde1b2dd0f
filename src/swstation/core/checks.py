"""System checks of the platform's own settings and declarations (registered in CoreConfig)."""

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from swstation.core.crypto import encrypted_models, key_problems

KEYS_HINT = (
    "Generate keys with: python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())' and see docs/operations.md, Personal-data keys."
)


def personal_data_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """With DEBUG off, the keys of personal data are set explicitly and well formed: made-up
    keys (derived from SECRET_KEY) would lose every encrypted number with SECRET_KEY."""
    if settings.DEBUG:
        return []
    return [
        checks.Error(problem, hint=KEYS_HINT, id="swstation.E001") for problem in key_problems()
    ]


def encrypted_fields_declared(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every field a model lists in ``encrypted_fields`` exists (a typo would leave its data out
    of key rotation and restore checks)."""
    errors: list[checks.CheckMessage] = []
    for model, fields in encrypted_models():
        for field in fields:
            for name in filter(None, (field.name, field.hash_field)):
                try:
                    model._meta.get_field(name)
                except FieldDoesNotExist:
                    errors.append(
                        checks.Error(
                            f"encrypted_fields names {name!r}, which is not a field.",
                            obj=model,
                            id="swstation.E002",
                        )
                    )
    return errors
