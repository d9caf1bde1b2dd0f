"""The zh-Hans catalog is complete: every string the code marks has a Chinese translation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "swstation"
CATALOG = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry; plural forms count as translated if all are."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "msgid" not in block:
            continue
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        msgid = "".join(
            re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', block.split("msgstr")[0], re.M)
        )
        strs = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n")
        values = ["".join(re.findall(r'"(.*)"', s)) for s in strs]
        entries.append((msgid, "" if not all(values) else values[0], fuzzy))
    return [e for e in entries if e[0]]  # skip the header


def test_catalog_has_no_untranslated_or_fuzzy_entries() -> None:
    missing = [msgid for msgid, msgstr, fuzzy in _entries(CATALOG) if not msgstr or fuzzy]
    assert missing == [], f"{len(missing)} untranslated: {missing[:10]}"


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext is installed by scripts/setup"
)
def test_catalog_covers_every_marked_string(tmp_path: Path) -> None:
    """Extract the strings afresh and check each is in the committed catalog."""
    work = tmp_path / "swstation"
    shutil.copytree(
        PACKAGE, work, ignore=shutil.ignore_patterns("migrations", "__pycache__", "*.mo")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "swstation",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "-v0",
        ],
        cwd=work,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true"},
    )
    fresh = {msgid for msgid, _, _ in _entries(work / "locale/zh_Hans/LC_MESSAGES/django.po")}
    committed = {msgid for msgid, _, _ in _entries(CATALOG)}
    assert sorted(fresh - committed) == []
