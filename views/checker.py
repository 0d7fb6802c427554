"""Kiểm tra thể thức văn bản .docx (clerks): every finding of :mod:`domain.check`, grouped.

The checker is pure Python and fast, so it runs in the request; the request size is capped
by MAX_UPLOAD_MB and the checker's own limits refuse zip bombs and oversized parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from flask import Blueprint
from flask import render_template
from flask import request

from domain.check import DocxError
from domain.check import Finding
from domain.check import Severity
from domain.check import check_docx
from domain.check import profile_of
from domain.text import nfc
from forms.checker import CheckerForm
from forms.uploads import sniff
from views.auth import clerk_required

bp = Blueprint("checker", __name__)

# libmagic's names for a .docx (some writers put members in an order it reads as a plain
# zip) and for a legacy .doc, which the checker itself names and refuses with advice.
_CHECKABLE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/zip",
    "application/msword",
    "application/x-ole-storage",
    "application/CDFV2",
}
_PROFILES = {
    "document": "văn bản hành chính",
    "report": "báo cáo thành tích",
    "annex": "phụ lục, danh sách kèm theo văn bản",
    "certificate": "giấy khen",
}


@dataclass
class Report:
    """The outcome of one check, ready for the page and the API."""

    filename: str
    findings: list[Finding] = field(default_factory=list)
    profile: str = ""

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def groups(self) -> list[tuple[str, list[Finding]]]:
        """Findings grouped by document element, in the order the elements first appear."""
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.label, []).append(finding)
        return list(grouped.items())


class Refused(ValueError):
    """The upload cannot be checked; the message is Vietnamese."""


def check_upload(filename: str, content: bytes, *, allow_academic_titles: bool) -> Report:
    """Check one uploaded file.

    Raises:
        Refused: no file, an empty one, a type other than Word by content, or a .docx the
            checker cannot open safely (damaged, zip bomb, legacy .doc).
    """
    name = nfc(filename or "").strip() or "tệp không tên"
    if not content:
        raise Refused(f"Tệp “{name}” rỗng, không có nội dung để kiểm tra.")
    mime = sniff(content)
    if mime not in _CHECKABLE:
        raise Refused(
            f"Tệp “{name}” không phải tệp Word .docx (nội dung thực là {mime}); hệ thống "
            "kiểm tra nội dung tệp, không dựa vào phần đuôi tên tệp."
        )
    try:
        findings = check_docx(content, allow_academic_titles=allow_academic_titles)
        profile = profile_of(content)
    except DocxError as exc:
        raise Refused(f"Không kiểm tra được tệp “{name}”: {exc.message}") from exc
    return Report(filename=name, findings=findings, profile=_PROFILES.get(profile, profile))


@bp.route("/kiem-tra-the-thuc", methods=["GET", "POST"])
@clerk_required
def index():  # type: ignore[no-untyped-def]
    form = CheckerForm()
    report: Report | None = None
    refusal = ""
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if not upload or not upload.filename:
                raise Refused("Vui lòng chọn tệp .docx cần kiểm tra.")
            report = check_upload(
                upload.filename,
                upload.read(),
                allow_academic_titles=bool(form.allow_academic_titles.data),
            )
        except Refused as exc:
            refusal = str(exc)
            status = 422
    return render_template("checker/index.html", form=form, report=report, refusal=refusal), status


@bp.route("/api/kiem-tra-the-thuc", methods=["POST"])
@clerk_required
def api():  # type: ignore[no-untyped-def]
    """JSON variant: multipart field ``file``; optional ``allow_academic_titles=1``.

    Like every POST it needs the CSRF token (form field ``csrf_token`` or the
    ``X-CSRFToken`` header) when CSRF protection is on.
    """
    upload = request.files.get("file")
    allow = request.form.get("allow_academic_titles", "") in ("1", "true", "on", "y")
    try:
        if upload is None or not upload.filename:
            raise Refused("Vui lòng gửi tệp .docx trong trường “file”.")
        report = check_upload(upload.filename, upload.read(), allow_academic_titles=allow)
    except Refused as exc:
        return {"error": str(exc)}, 422
    return {
        "file": report.filename,
        "profile": report.profile,
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": [f.as_dict() for f in report.findings],
    }
