"""Resource limits applied while reading an upload."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestLimits:
    """Limits for one parse call.

    Attributes:
        max_bytes: largest accepted upload.
        max_pages: largest accepted page count (PDF).
        ocr_dpi: resolution at which scanned pages are rendered for OCR.
        ocr_timeout: seconds allowed for OCR of one page.
        convert_timeout: seconds allowed for one LibreOffice conversion.
        max_unzipped_bytes: largest total uncompressed size of a DOCX.
        max_zip_ratio: largest uncompressed/compressed ratio of a DOCX part.
    """

    max_bytes: int = 30 * 1024 * 1024
    max_pages: int = 60
    ocr_dpi: int = 300
    ocr_timeout: float = 60.0
    convert_timeout: float = 90.0
    max_unzipped_bytes: int = 150 * 1024 * 1024
    max_zip_ratio: float = 150.0
