import io

import docx
import pytest

from tests.support import raw_pdf


@pytest.fixture
def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Minh chứng: Giấy chứng nhận sáng kiến cấp cơ sở")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def pdf_bytes() -> bytes:
    # A real, minimal PDF (one empty page) written out by hand: libmagic sniffs the header.
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )
