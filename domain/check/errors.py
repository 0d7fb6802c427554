"""Errors of the compliance checker, each carrying a Vietnamese message for the clerk."""

from __future__ import annotations


class DocxError(Exception):
    """The input cannot be checked: not a .docx, damaged, or too large to open safely."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
