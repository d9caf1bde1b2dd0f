"""Apps depend downward only, also where import-linter cannot see it.

``lint-imports`` (scripts/test) checks the Python imports against the layers contract in
pyproject.toml. A lower app can still reach into a higher one without importing it: through a
reverse relation the higher app's model declares (``station.staff``, ``Count("staff")``), a URL
name (``{% url "workforce:socialworker" %}``) or a template path. This test reads the same layer
order from pyproject.toml and refuses those.
"""

import ast
import re
import tomllib
from functools import cache
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "swstation"
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext"}


@cache
def layer_groups() -> list[tuple[str, ...]]:
    """The layers of the contract, top to bottom, each the apps it holds: one app, or
    independent siblings written ``"linkage | volunteers"`` (optional future apps included)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "layers"]
    return [
        tuple(app.strip() for app in layer.strip("()").split("|"))
        for layer in contract["layers"]
        if ":" not in layer
    ]


def app_layers() -> list[str]:
    """The apps of the layers contract, top to bottom."""
    return [app for group in layer_groups() for app in group]


def rank(app_label: str) -> int | None:
    groups = layer_groups()
    for index, group in enumerate(groups):
        if app_label in group:
            return len(groups) - index
    return None


def out_of_reach(app_label: str, other: str) -> bool:
    """An app may not reach ``other``: a higher layer, or an independent sibling of its own."""
    own, theirs = rank(app_label), rank(other)
    if own is None or theirs is None or other == app_label:
        return False
    return theirs >= own


def reverse_names_from_above() -> dict[str, set[str]]:
    """For each app, the reverse accessors and query names that higher apps' models add to it."""
    names: dict[str, set[str]] = {}
    for model in apps.get_models():
        if rank(model._meta.app_label) is None:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.auto_created and not field.concrete):
                continue
            other = field.related_model
            if other is not None and out_of_reach(model._meta.app_label, other._meta.app_label):
                remote = field.remote_field  # type: ignore[union-attr]
                names.setdefault(model._meta.app_label, set()).update(
                    {field.get_accessor_name(), remote.related_query_name()}  # type: ignore[union-attr]
                )
    return names


def higher_apps(app_label: str) -> list[str]:
    """The apps ``app_label`` may not reach: the higher layers and its independent siblings."""
    assert rank(app_label) is not None
    return [app for app in app_layers() if out_of_reach(app_label, app)]


def python_reaches(path: Path, relations: set[str], higher: list[str]) -> list[str]:
    """Attribute access or a lookup string naming a reverse relation of a higher app, and
    strings naming a higher app's URL or template (labels passed to gettext are not lookups)."""
    tree = ast.parse(path.read_text())
    labels = {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT
        for arg in node.args
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in relations:
            found.append(f"{path.relative_to(SRC)}:{node.lineno}: .{node.attr}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in labels
        ):
            head = node.value.split("__")[0]
            if head in relations or re.match(rf"^({'|'.join(higher)})[:/]", node.value):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.value!r}")
    return found


def template_reaches(path: Path, relations: set[str], higher: list[str]) -> list[str]:
    patterns = [rf"[\"']({'|'.join(higher)})[:/]"]
    if relations:
        names = "|".join(sorted(relations))
        patterns.append(rf"\.({names})\b")
    found = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        for pattern in patterns:
            if re.search(pattern, line):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    return found


def test_the_layers_name_every_installed_app() -> None:
    installed = {
        config.label for config in apps.get_app_configs() if config.name.startswith("swstation.")
    }
    assert installed - {"demo"} <= set(app_layers())


def test_no_app_reaches_a_higher_app_by_relation_url_or_template() -> None:
    relations = reverse_names_from_above()
    assert "staff" in relations["stations"]  # workforce.SocialWorker.station: the known trap
    offenders = []
    for app in app_layers():
        folder = SRC / app
        if not folder.is_dir():
            continue  # a future app of the contract
        higher = higher_apps(app)
        if not higher:
            continue
        own = relations.get(app, set())
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                offenders += python_reaches(path, own, higher)
        for path in folder.rglob("*.html"):
            offenders += template_reaches(path, own, higher)
    assert offenders == []
