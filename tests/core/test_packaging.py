"""Every folder of modules under src/swstation is a regular package (scripts/check-wheel builds
and installs the wheel in CI; this is the quick form of its first check)."""

from pathlib import Path

import swstation

PACKAGE = Path(swstation.__file__).resolve().parent


def test_every_folder_of_modules_has_an_init() -> None:
    folders = {path.parent for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts}
    missing = sorted(
        str(folder.relative_to(PACKAGE.parent))
        for folder in folders
        if not (folder / "__init__.py").is_file()
    )
    assert missing == []
