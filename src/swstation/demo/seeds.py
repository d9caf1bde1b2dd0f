"""What the data migrations seed, put back after a flush (``demo --flush``; the tests'
transactional databases, tests/concurrency.py).

``flush`` empties every table, the rows the data migrations wrote included (categories, import
synonyms, the default standards, questionnaire and district scheme), and ``migrate`` will not
write them again: the migrations are recorded as applied. Without them the demo's later steps
find no standard to score with (该年度没有适用的区县考核方案).
"""

import importlib

from django.apps import apps

__all__ = ["MIGRATION_SEEDS", "reload_migration_seeds"]

# (model, migration module, its seeding function).
MIGRATION_SEEDS = (
    ("recipients.Category", "swstation.recipients.migrations.0002_seed_categories", "seed"),
    ("core.ImportSynonym", "swstation.core.migrations.0004_seed_import_synonyms", "seed"),
    (
        "cases.ElderlyAssessmentPolicy",
        "swstation.cases.migrations.0006_elderly_gbt42195",
        "seed_policies",
    ),
    (
        "evaluation.IndicatorSet",
        "swstation.evaluation.migrations.0002_default_indicator_set",
        "seed",
    ),
    (
        "evaluation.IndicatorSet",
        "swstation.evaluation.migrations.0010_default_star_set",
        "seed",
    ),
    (
        "evaluation.Questionnaire",
        "swstation.evaluation.migrations.0005_survey_seeds",
        "seed_questionnaire",
    ),
    (
        "evaluation.DistrictAssessmentScheme",
        "swstation.evaluation.migrations.0008_district_scheme_seed",
        "seed_scheme",
    ),
)


def reload_migration_seeds() -> None:
    """Seed every model the data migrations seed that is empty. A model may be seeded by more
    than one migration: each seeds when the flush left it empty."""
    empty = {label for label, _module, _function in MIGRATION_SEEDS if _is_empty(label)}
    for label, module, function in MIGRATION_SEEDS:
        if label in empty:
            getattr(importlib.import_module(module), function)(apps, None)


def _is_empty(label: str) -> bool:
    return not apps.get_model(label).objects.exists()
