"""The error raised when LibreOffice cannot turn a document into PDF (or .docx)."""

from __future__ import annotations

from domain.errors import VanthuError

# Machine-readable reasons, for logs and for callers that react differently (e.g. retry a job
# after a timeout, but never after an invalid document).
INVALID_INPUT = "invalid_input"
UNSUPPORTED = "unsupported"
REJECTED = "rejected"
TIMEOUT = "timeout"
CRASHED = "crashed"
STARTUP = "startup"
CLOSED = "closed"


class PdfConversionError(VanthuError):
    """A conversion failed; ``str(exc)`` is a Vietnamese message that can be shown to users.

    Attributes:
        message: The Vietnamese message (also ``str(exc)``).
        reason: One of the reason constants of this module.
        detail: Technical detail from LibreOffice or the bridge, for logs (may be empty).
    """

    code = "pdf_conversion_failed"
    status = 500

    def __init__(self, message: str, *, reason: str, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.reason = reason

    def __repr__(self) -> str:
        return f"PdfConversionError({self.message!r}, reason={self.reason!r})"


def _seconds(value: float) -> str:
    """Format seconds the Vietnamese way (decimal comma): 2.5 -> "2,5"."""
    return f"{value:g}".replace(".", ",")


def timeout_error(seconds: float, detail: str) -> PdfConversionError:
    """Build the error for a conversion that ran past its time limit."""
    return PdfConversionError(
        f"Chuyển đổi tài liệu quá {_seconds(seconds)} giây nên đã bị dừng; "
        "LibreOffice sẽ được khởi động lại, có thể thử lại.",
        reason=TIMEOUT,
        detail=detail,
    )


def crashed_error(detail: str) -> PdfConversionError:
    """Build the error for a LibreOffice that died while converting."""
    return PdfConversionError(
        "LibreOffice bị dừng đột ngột khi chuyển đổi tài liệu này; "
        "lần chuyển đổi sau sẽ dùng một phiên LibreOffice mới.",
        reason=CRASHED,
        detail=detail,
    )


def rejected_error(detail: str) -> PdfConversionError:
    """Build the error for a document LibreOffice could not open or export."""
    return PdfConversionError(
        "LibreOffice không mở hoặc không chuyển đổi được tài liệu: tệp có thể bị hỏng, "
        "có mật khẩu hoặc không đúng định dạng.",
        reason=REJECTED,
        detail=detail,
    )


def no_output_error(detail: str) -> PdfConversionError:
    """Build the error for a conversion that reported success but left no usable file."""
    return PdfConversionError(
        "LibreOffice không tạo ra được tệp kết quả hoàn chỉnh.", reason=REJECTED, detail=detail
    )


def startup_error(detail: str) -> PdfConversionError:
    """Build the error for a LibreOffice that would not start."""
    return PdfConversionError(
        "Không khởi động được LibreOffice để chuyển đổi tài liệu; "
        "vui lòng thử lại sau hoặc báo quản trị viên.",
        reason=STARTUP,
        detail=detail,
    )


def closed_error() -> PdfConversionError:
    """Build the error for a call on a converter that was closed."""
    return PdfConversionError("Bộ chuyển đổi PDF đã đóng.", reason=CLOSED)
