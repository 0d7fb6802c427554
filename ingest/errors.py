"""Errors raised for bad input; each carries a Vietnamese message for the user."""

from __future__ import annotations

from domain.errors import VanthuError


class IngestError(VanthuError):
    """Base class: the file cannot be read as a plan; ``message`` is shown to the user."""

    code = "unreadable_file"
    default_message = "Không đọc được tệp."


class EmptyFileError(IngestError):
    """The upload has no bytes (or only white space)."""

    code = "empty_file"
    default_message = "Tệp rỗng: không có nội dung để đọc."


class UnsupportedTypeError(IngestError):
    """The content is not a PDF, DOCX, DOC or plain text (whatever the extension says)."""

    code = "unsupported_type"
    default_message = (
        "Loại tệp không được hỗ trợ. Chỉ nhận PDF, Word (.docx, .doc) hoặc văn bản thuần (.txt)."
    )


class EncryptedPdfError(IngestError):
    """The PDF is protected by a password."""

    code = "encrypted_pdf"
    default_message = "PDF có mật khẩu: hãy gỡ mật khẩu rồi tải lên lại."


class CorruptFileError(IngestError):
    """The file is damaged or truncated."""

    code = "corrupt_file"
    default_message = "Tệp bị hỏng hoặc không đầy đủ (có thể tải lên bị gián đoạn)."


class NoPagesError(IngestError):
    """The PDF opens but has no page."""

    code = "no_pages"
    default_message = "PDF không có trang nào."


class TooLargeError(IngestError):
    """The file exceeds the configured size or page limit."""

    code = "too_large"
    status = 413
    default_message = "Tệp quá lớn để xử lý."


class TooManyPagesError(TooLargeError):
    """The PDF has more pages than allowed."""

    code = "too_many_pages"
    status = 413
    default_message = "PDF có quá nhiều trang."


class ZipBombError(IngestError):
    """A DOCX whose compressed parts expand to an unreasonable size."""

    code = "zip_bomb"
    default_message = (
        "Tệp Word có dung lượng giải nén bất thường (nghi là tệp nén độc hại); không xử lý."
    )


class OcrUnavailableError(IngestError):
    """Tesseract or its Vietnamese data is missing, so a scanned page cannot be read."""

    code = "ocr_unavailable"
    default_message = (
        "Không nhận dạng được chữ trên bản quét: máy chủ chưa cài Tesseract "
        "với dữ liệu tiếng Việt (gói tesseract-ocr-vie)."
    )


class ConversionError(IngestError):
    """LibreOffice failed to convert a legacy .doc file (or timed out)."""

    code = "conversion_failed"
    default_message = "Không chuyển đổi được tệp Word cũ (.doc) bằng LibreOffice."


class TimeoutExceededError(IngestError):
    """An external tool (OCR, LibreOffice) did not finish within the time limit."""

    code = "timeout"
    default_message = "Xử lý tệp quá thời gian cho phép."
