"""Form fields and digital signatures of a PDF.

E-government PDFs are signed by the clerk after printing: the Số number and the day are
stamped as the appearance of signature widgets (``/FT /Sig``), not in the page content, so a
reader of the page text alone sees "Số:      /SGDĐT-TCCB". Flattening the widgets into the
pages (pdfium does it as a viewer draws them) brings that text back; the signature
dictionaries say who signed and when.
"""

from __future__ import annotations

import io
import logging
import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from typing import Any

log = logging.getLogger(__name__)

_WIDGET = re.compile(rb"/Subtype\s*/Widget")


def has_widgets(data: bytes) -> bool:
    """Return True when the PDF has form-field widgets (text fields or signatures)."""
    return bool(_WIDGET.search(data))


def flatten_widgets(data: bytes) -> bytes | None:
    """Return the PDF with every widget's appearance drawn into its page, or None on failure."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        document.init_forms()
        for index in range(len(document)):
            page = document[index]
            pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY)
            page.close()
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    except Exception:  # a damaged form: read the page content as it is
        log.info("could not flatten the PDF's form widgets", exc_info=True)
        return None
    finally:
        document.close()


def _pdf_date(value: object) -> str | None:
    """``D:20251114083015+07'00'`` → ISO 8601 with its offset."""
    text = str(value or "")
    match = re.match(
        r"D?:?(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?([Zz+\-])?(\d{2})?'?(\d{2})?", text
    )
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    hour, minute, second = (int(match[i] or 0) for i in (4, 5, 6))
    zone = UTC if match[7] in ("Z", "z", None) else None
    if match[7] in ("+", "-"):
        offset = timedelta(hours=int(match[8] or 0), minutes=int(match[9] or 0))
        zone = timezone(offset if match[7] == "+" else -offset)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone).isoformat()
    except ValueError:
        return None


def _certificate_subject(contents: bytes) -> str | None:
    """Return the common name (or whole subject) of the signer's certificate in a PKCS#7."""
    try:
        from cryptography.hazmat.primitives.serialization import pkcs7
        from cryptography.x509.oid import NameOID

        certificates = pkcs7.load_der_pkcs7_certificates(contents.rstrip(b"\x00"))
    except Exception:  # not DER PKCS#7, or no certificates inside
        return None
    if not certificates:
        return None
    issuers = {c.issuer.rfc4514_string() for c in certificates}
    # The signer's certificate issues no other certificate in the bundle.
    leaf = next((c for c in certificates if c.subject.rfc4514_string() not in issuers), None)
    leaf = leaf or certificates[0]
    names = leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else leaf.subject.rfc4514_string()


def read_signatures(data: bytes) -> list[dict[str, Any]]:
    """Who signed the PDF and when: one entry per filled signature field.

    Each entry has ``field``, ``name`` (the signature's /Name), ``signer`` (the certificate
    subject), ``time`` (/M, ISO 8601) and ``reason``/``location`` when given. The signature's
    validity is not checked here.
    """
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        fields = reader.get_fields() or {}
    except Exception:  # broken AcroForm: no signatures reported
        return []
    found: list[dict[str, Any]] = []
    for name, info in fields.items():
        try:
            if info.get("/FT") != "/Sig":
                continue
            value = info.get("/V")
            value = value.get_object() if value is not None else None
            if not value:
                continue
            contents = value.get("/Contents")
            entry = {
                "field": str(name),
                "name": str(value.get("/Name")) if value.get("/Name") else None,
                "signer": _certificate_subject(bytes(contents)) if contents else None,
                "time": _pdf_date(value.get("/M")),
                "reason": str(value.get("/Reason")) if value.get("/Reason") else None,
                "location": str(value.get("/Location")) if value.get("/Location") else None,
            }
            found.append(entry)
        except Exception:  # one odd field does not hide the others
            log.info("unreadable signature field %s", name, exc_info=True)
    return found
