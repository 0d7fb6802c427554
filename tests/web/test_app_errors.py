"""One error family (domain.errors.VanthuError) answered in one place (web.py).

Every public error class of the app derives from the base; an app error that no view
answers itself becomes the error page, or ``{"error": {"code", "message"}}`` under /api/,
with its class's status and code and its Vietnamese message (one test per mapping).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from flask import Flask

from domain.errors import VanthuError

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "render", "ingest", "services", "forms", "storage", "worker", "outbox")
# Exceptions that never reach a user: each is caught inside its module and turned into an
# app error (or a retry) there.
INTERNAL = {
    "domain.archive.ArchiveRefused",  # each reader words its own message from .kind
    "outbox.embedded.EmbeddedRedisError",  # a start-up failure of the embedded Redis
    "render.uno_office.BridgeGone",  # LibreOffice's bridge: retried, then PdfConversionError
    "render.uno_office.BridgeTimeout",
    "worker.errors.Deferred",  # control flow: the runner queues the job again, no message
}

# class → (HTTP status, code) the web answers with when the error reaches web.py.
MAPPINGS = {
    "domain.check.errors.DocxError": (422, "invalid_docx"),
    "domain.emulation.errors.EmulationError": (400, "emulation_refused"),
    "domain.legal_basis.LegalBasisError": (400, "legal_basis_refused"),
    "storage.uploads.UploadRejected": (400, "invalid_input"),
    "ingest.errors.IngestError": (400, "unreadable_file"),
    "ingest.errors.ConversionError": (400, "conversion_failed"),
    "ingest.errors.CorruptFileError": (400, "corrupt_file"),
    "ingest.errors.EmptyFileError": (400, "empty_file"),
    "ingest.errors.EncryptedPdfError": (400, "encrypted_pdf"),
    "ingest.errors.NoPagesError": (400, "no_pages"),
    "ingest.errors.OcrUnavailableError": (400, "ocr_unavailable"),
    "ingest.errors.TimeoutExceededError": (400, "timeout"),
    "ingest.errors.TooLargeError": (413, "too_large"),
    "ingest.errors.TooManyPagesError": (413, "too_many_pages"),
    "ingest.errors.UnsupportedTypeError": (400, "unsupported_type"),
    "ingest.errors.ZipBombError": (400, "zip_bomb"),
    "ingest.page_images.PageDrawFailed": (503, "page_image_failed"),
    "render.errors.RenderError": (422, "render_failed"),
    "render.pdf_errors.PdfConversionError": (500, "pdf_conversion_failed"),
    "render.preview.PreviewError": (422, "preview_failed"),
    "services.accounts.AccountError": (400, "account_refused"),
    "services.api_tokens.TokenRefused": (400, "token_refused"),
    "services.decisions.DecisionError": (400, "decision_refused"),
    "services.documents.DraftError": (409, "draft_refused"),
    "services.dossier.nominees.DossierError": (400, "dossier_refused"),
    "services.format_check.Refused": (422, "invalid_file"),
    "services.incoming.entries.AlreadyRegistered": (409, "already_registered"),
    "services.incoming.entries.IncomingError": (400, "incoming_refused"),
    "services.organizations.OrganizationError": (400, "organization_refused"),
    "services.register.RegisterError": (400, "register_refused"),
    "services.reports.ReportLocked": (409, "report_locked"),
    "services.signatures.CertificateError": (400, "certificate_refused"),
    "services.spreadsheets.SpreadsheetError": (400, "invalid_spreadsheet"),
    "services.submissions.EditLost": (409, "edit_lost"),
    "services.submissions.RemovalRefused": (409, "removal_refused"),
    "worker.errors.JobError": (500, "job_failed"),
    "worker.errors.RetryableJobError": (503, "job_retrying"),
    "worker.sandbox.ChildFailed": (500, "child_failed"),
}


def _app_modules() -> list[str]:
    names = []
    for package in PACKAGES:
        for module in pkgutil.walk_packages([str(ROOT / package)], f"{package}."):
            if ".migrations" not in module.name and module.name != "render.uno_bridge":
                names.append(module.name)  # uno_bridge runs inside LibreOffice's Python
    return names


def _error_class(dotted: str) -> type[VanthuError]:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def test_every_public_exception_of_the_app_derives_from_the_one_base():
    loose = []
    for name in _app_modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == name
                and not value.__name__.startswith("_")
                and not issubclass(value, VanthuError)
                and f"{name}.{value.__name__}" not in INTERNAL
            ):
                loose.append(f"{name}.{value.__name__}")
    assert loose == []


def test_every_app_error_class_has_its_mapping_here():
    def subclasses(cls: type) -> set[type]:
        return {s for c in cls.__subclasses__() for s in {c} | subclasses(c)}

    for name in _app_modules():
        importlib.import_module(name)
    # A subclass may share its parent's mapping (the legal-basis and emulation families).
    unmapped = {
        f"{c.__module__}.{c.__qualname__}"
        for c in subclasses(VanthuError)
        if not c.__name__.startswith("_")
        and (c.status, c.code) != (c.__mro__[1].status, c.__mro__[1].code)
    } - set(MAPPINGS)
    assert unmapped == set()


@pytest.fixture
def raising_app(app: Flask) -> Flask:
    """Two routes (a page and an /api/ one) that raise the error class named in the URL."""

    def boom(dotted: str):
        cls = _error_class(dotted)
        error = cls.__new__(cls)
        VanthuError.__init__(error, f"Lỗi thử của {cls.__name__}: “không làm được”.")
        raise error

    app.add_url_rule("/thu-loi/<dotted>", "test_boom_page", boom)
    app.add_url_rule("/api/thu-loi/<dotted>", "test_boom_api", boom)
    return app


@pytest.mark.parametrize("dotted", sorted(MAPPINGS))
def test_an_unanswered_app_error_is_its_status_code_and_vietnamese_message(
    raising_app, world, auth, client, dotted
):
    status, code = MAPPINGS[dotted]
    name = dotted.rpartition(".")[2]
    auth.login("clerk")

    page = client.get(f"/thu-loi/{dotted}")
    assert page.status_code == status
    assert f"Lỗi thử của {name}: “không làm được”." in page.get_data(as_text=True)

    api = client.get(f"/api/thu-loi/{dotted}")
    assert api.status_code == status
    assert api.get_json() == {
        "error": {"code": code, "message": f"Lỗi thử của {name}: “không làm được”."}
    }


def test_the_message_is_nfc_and_a_class_without_one_says_its_default():
    from services.reports import ReportLocked

    decomposed = "Ho\u0302\u0300 so\u031b"  # "Hồ sơ" typed with combining marks
    assert VanthuError(decomposed).message == "Hồ sơ"
    assert ReportLocked(detail="issued").message == ReportLocked.default_message
    assert str(ReportLocked()) == "Báo cáo đã phát hành nên không sửa được nữa."
