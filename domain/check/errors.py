"""Errors of the compliance checker, each carrying a Vietnamese message for the clerk."""

from __future__ import annotations

from domain.errors import VanthuError


class DocxError(VanthuError):
    """The input cannot be checked: not a .docx, damaged, or too large to open safely."""

    code = "invalid_docx"
    status = 422
