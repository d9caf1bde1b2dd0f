"""The vulnerable-group categories the stations serve (domain.md §1 and §3), as reference data.

Reversible: going back removes exactly these codes (and their tags on recipients).
"""

from django.db import migrations

# (code, name, group), in the order they are listed on forms and filters.
CATEGORIES = [
    ("difficult_family", "困难家庭", "family"),
    ("extreme_poverty", "特困", "family"),
    ("subsistence_allowance", "低保", "family"),
    ("marginal_subsistence", "低边", "family"),
    ("bereaved_only_child", "失独家庭", "family"),
    ("elderly_alone", "孤寡老人", "elderly"),
    ("elderly_living_alone", "独居老人", "elderly"),
    ("empty_nest_elderly", "空巢老人", "elderly"),
    ("advanced_age", "高龄老人", "elderly"),
    ("child_in_difficulty", "困境儿童", "child"),
    ("de_facto_unsupported_child", "事实无人抚养儿童", "child"),
    ("left_behind_child", "留守儿童", "child"),
    ("at_risk_youth", "问题青少年", "child"),
    ("disabled", "残疾人", "disability"),
    ("migrant", "流动人口", "other"),
    ("other", "其他", "other"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("recipients", "Category")
    for order, (code, name, group) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code, defaults={"name": name, "group": group, "order": order * 10}
        )


def unseed(apps, schema_editor):
    Category = apps.get_model("recipients", "Category")
    Category.objects.filter(code__in=[code for code, _name, _group in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("recipients", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
