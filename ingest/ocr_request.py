"""What the PDF reader asks of OCR for one page (kept apart so OCR stays optional)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class OcrRequest:
    """One page to OCR.

    Attributes:
        page: 1-based page number.
        width: page width in points.
        dpi: resolution to render at (the scan's own, within limits).
        reason: ``"scan"`` (no usable text layer) or ``"poor-layer"`` (a text layer that
            is not trustworthy Vietnamese; the better of the two readings is kept).
        layer_score: the text layer's quality score, to compare with the OCR's.
    """

    page: int
    width: float
    dpi: int
    reason: str = "scan"
    layer_score: float = 0.0
