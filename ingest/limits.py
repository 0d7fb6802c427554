"""Resource limits applied while reading an upload."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestLimits:
    """Limits for one parse call.

    Attributes:
        max_bytes: largest accepted upload.
        max_pages: largest accepted page count (PDF).
        ocr_dpi: resolution for OCR of a page whose scan resolution is unknown.
        ocr_min_dpi: lowest resolution a scan is OCR'd at (its own when higher).
        ocr_max_dpi: highest resolution a scan is OCR'd at (its own when lower).
        ocr_timeout: seconds allowed for OCR of one page (a per-page budget).
        ocr_workers: pages OCR'd at once (default: the machine's cores).
        ocr_cache_dir: folder where each page's OCR is kept by image hash, so that a retry
            or a second upload of the same scan does not OCR it again (None: not kept).
        convert_timeout: seconds allowed for one LibreOffice conversion.
        max_unzipped_bytes: largest total uncompressed size of a DOCX.
        max_zip_ratio: largest uncompressed/compressed ratio of a DOCX part.
    """

    max_bytes: int = 30 * 1024 * 1024
    max_pages: int = 60
    ocr_dpi: int = 300
    ocr_min_dpi: int = 100
    ocr_max_dpi: int = 400
    ocr_timeout: float = 60.0
    ocr_workers: int | None = None
    ocr_cache_dir: str | None = None
    convert_timeout: float = 90.0
    max_unzipped_bytes: int = 150 * 1024 * 1024
    max_zip_ratio: float = 150.0
