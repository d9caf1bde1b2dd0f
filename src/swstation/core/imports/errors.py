"""The errors of an import: of the whole file, of one cell, of one row."""


class ImportFileError(Exception):
    """The file as a whole cannot be imported (wrong type, too big, columns missing)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CellError(Exception):
    """A cell's value cannot be read as its column's type."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RowInvalid(Exception):
    """A row cannot be imported; ``errors`` are (column key or "", message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _column, message in errors))
        self.errors = errors
