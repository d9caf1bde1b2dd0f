"""The corpus of messy ledgers (tests/core/import_corpus.py), imported as an office would:
every row becomes what its ledger says (created, updated, unchanged, skipped, or refused with
a message naming its column and the habit), no value is stored different from its source, no
record is changed that no row names, and no column with data is dropped without a word."""

from typing import Any

import pytest

from tests.core.import_corpus import Ledger, ledgers, make_world, run_ledger, totals

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("ledger", ledgers(), ids=lambda ledger: ledger.name)
def test_each_ledger_imports_as_its_source_says(ledger: Ledger) -> None:
    result = run_ledger(ledger, make_world())
    assert result.mismatches == []
    assert result.written_wrongly == []
    assert result.dropped == []


def test_the_corpus_covers_every_outcome(db: Any) -> None:
    """The corpus is not empty of any outcome: rows created, updated, unchanged, skipped and
    refused, and files refused as a whole."""
    found = {expect.outcome for ledger in ledgers() for expect in ledger.expect.values()}
    assert found == {"create", "update", "unchanged", "skipped", "refused"}
    assert any(ledger.file_error for ledger in ledgers())
    assert {ledger.importer.__name__ for ledger in ledgers()} == {
        "RecipientImporter",
        "RosterImporter",
        "StationImporter",
    }
    figures = totals([])
    assert figures["rows"] == 0
