"""The audit log: who created, issued, withdrew or downloaded which document or file, who
made an admin or reset a password, and sign-in events.

Events are stored with a free-form ``detail`` dict; :func:`describe` turns one into the
Vietnamese sentence shown on the audit page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import g
from flask import has_request_context
from flask import request
from sqlalchemy import Select
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from domain.text import nfc
from render.manifest import KINDS
from render.manifest import load_manifest
from services.pagination import Page
from services.pagination import paginate
from storage.models import AuditEvent
from storage.models import Document
from storage.models import User

# Actions recorded, with the Vietnamese wording of the audit page.
ACTIONS = {
    "document.create": "Soạn văn bản",
    "document.issue": "Phát hành văn bản",
    "document.withdraw": "Thu hồi văn bản",
    "document.download": "Tải văn bản",
    "document.delete": "Xóa văn bản dự thảo",
    "document.replace": "Thu hồi và lập văn bản thay thế",
    "submission.decide": "Ghi kết quả của Hội đồng",
    "submission.override": "Giữ kết quả dưới ngưỡng biểu quyết",
    "submission.redo": "Làm lại kết quả sau khi đã phát hành văn bản",
    "dossier.create": "Lập hồ sơ khen thưởng",
    "dossier.regenerate": "Lập lại hồ sơ khen thưởng",
    "report.save": "Viết báo cáo thành tích",
    "file.download": "Tải tệp đính kèm",
    "template.upload": "Tải lên mẫu văn bản",
    "template.activate": "Đổi mẫu văn bản đang dùng",
    "incoming.upload": "Tải lên văn bản cấp trên",
    "incoming.confirm": "Xác nhận văn bản cấp trên",
    "incoming.download": "Tải tệp văn bản cấp trên",
    "certificates.download": "Tải bộ Giấy khen",
    "user.create_admin": "Tạo tài khoản quản trị",
    "user.grant_admin": "Cấp quyền quản trị",
    "user.password_reset": "Đặt lại mật khẩu",
    "user.create": "Tạo tài khoản từ danh sách cán bộ",
    "user.password_link": "Đặt mật khẩu qua liên kết gửi thư",
    "incoming.register": "Vào sổ văn bản đến",
    "incoming.delete": "Xóa dòng sổ văn bản đến vào nhầm",
    "incoming.merge": "Gộp văn bản đến trùng",
    "login.success": "Đăng nhập",
    "login.failure": "Đăng nhập sai",
    "login.throttled": "Đăng nhập bị tạm khoá",
    "trust_root.add": "Thêm chứng thư gốc tin cậy",
    "trust_root.remove": "Gỡ chứng thư gốc tin cậy",
    "document.sign": "Ký số văn bản đi",
    "document.download_signed": "Tải văn bản đã ký số",
    "signing.image": "Cập nhật ảnh chữ ký",
    "signing.seal": "Cập nhật ảnh con dấu",
    "document.attachment_add": "Thêm văn bản kèm theo",
    "document.attachment_remove": "Gỡ văn bản kèm theo",
    "document.attachment_sign": "Ký số văn bản kèm theo",
    "document.download_attachment": "Tải văn bản kèm theo",
}


def record(
    session: Session,
    action: str,
    *,
    object_type: str = "",
    object_id: object = "",
    detail: dict[str, Any] | None = None,
    organization_id: int | None = None,
    user_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to ``session`` (committed with the change it records).

    The user, organization and address default to the current request's.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    user = g.get("user") if has_request_context() else None
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or {},
        organization_id=organization_id
        if organization_id is not None
        else getattr(user, "organization_id", None),
        user_id=user_id if user_id is not None else getattr(user, "id", None),
        ip=(request.remote_addr or "")[:64] if has_request_context() else "",
    )
    session.add(event)
    return event


# -- The log's page -------------------------------------------------------------------------


def log_query(
    organization_id: int, *, action: str = "", user_id: int | None = None
) -> Select[AuditEvent]:
    """The organization's events, newest first, of one action and one person when given
    (ix_audit_events_list, _by_action, _by_actor); an unknown action is no filter."""
    query = select(AuditEvent).where(AuditEvent.organization_id == organization_id)
    if action in ACTIONS:
        query = query.where(AuditEvent.action == action)
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


@dataclass(frozen=True)
class LogRow:
    """One line of the log's page: the event, its sentence, the document to link (if it is
    about one that still exists: a deleted draft's events stay in the log)."""

    event: AuditEvent
    sentence: str
    document_id: int | None


def log_page(
    session: Session,
    organization_id: int,
    *,
    number: int,
    size: int,
    action: str = "",
    user_id: int | None = None,
) -> tuple[Page[AuditEvent], list[LogRow]]:
    """One page of :func:`log_query` and its lines, with the actors (describe() names them)
    and the documents still there read in one statement each."""
    page = paginate(
        session, log_query(organization_id, action=action, user_id=user_id), AuditEvent,
        number=number, size=size, options=[selectinload(AuditEvent.user)],
    )  # fmt: skip
    wanted = {i for i in map(_document_id, page.items) if i is not None}
    existing: set[int] = set()
    if wanted:
        existing = set(
            session.scalars(
                select(Document.id).where(
                    Document.organization_id == organization_id, Document.id.in_(wanted)
                )
            )
        )
    rows = [
        LogRow(e, describe(e), _document_id(e) if _document_id(e) in existing else None)
        for e in page.items
    ]
    return page, rows


def log_actors(session: Session, organization_id: int) -> list[tuple[int, str]]:
    """(id, name) of the organization's accounts, by name, for the log's person filter."""
    return [
        (row.id, row.full_name)
        for row in session.execute(
            select(User.id, User.full_name)
            .where(User.organization_id == organization_id)
            .order_by(User.full_name, User.id)
        )
    ]


def _document_id(event: AuditEvent) -> int | None:
    """The id of the document an event is about, if it is about one."""
    if event.object_type == "document" and event.object_id.isascii() and event.object_id.isdigit():
        return int(event.object_id)
    return None


# -- Describing events ----------------------------------------------------------------------

SYSTEM_ACTOR = "Hệ thống"  # events recorded with no signed-in user (worker, sign-in failures)

# Long free text (a trích yếu may be 2000 characters) would swamp the table.
_MAX_SUMMARY = 160
_MAX_REASON = 300
_MAX_NAME = 120

_FORMATS = {"docx": "bản Word", "pdf": "bản PDF"}


class _Detail:
    """Read an event's ``detail`` defensively: events written by older code, or by code
    that left a key out, must still give a sentence, never a KeyError or a raw value."""

    def __init__(self, detail: object) -> None:
        self._detail = detail if isinstance(detail, dict) else {}

    def text(self, key: str, limit: int = _MAX_NAME) -> str:
        value = self._detail.get(key)
        # bool is an int; neither a flag nor a nested structure reads as a phrase.
        if value is None or isinstance(value, bool | dict | list | tuple):
            return ""
        return _shorten(" ".join(nfc(str(value)).split()), limit)

    def number(self, key: str) -> int | None:
        value = self._detail.get(key)
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        return None

    def labels(self, key: str) -> list[str]:
        value = self._detail.get(key)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            return []
        found = []
        for item in value:
            if item is None or isinstance(item, bool | dict | list | tuple):
                continue
            text = " ".join(nfc(str(item)).split())
            if text:
                found.append(_shorten(text, _MAX_NAME))
        return found


def describe(event: AuditEvent) -> str:
    """One Vietnamese sentence for the audit page: who did what to which record.

    >>> describe(event)  # doctest: +SKIP
    'Nguyễn Thị Hoa thu hồi Quyết định số 05/QĐ-THCSMT. Lý do: Sai đối tượng.'
    """
    user = event.user
    actor = _shorten(nfc(user.full_name).strip(), _MAX_NAME) if user and user.full_name else ""
    detail = _Detail(event.detail)
    phrase = _PHRASES.get(event.action)
    if phrase is None:
        # An action this code does not know (renamed, or from a newer release).
        label = ACTIONS.get(event.action)
        text = f"thực hiện thao tác “{label}”" if label else "thực hiện một thao tác"
        return _finish(f"{actor or SYSTEM_ACTOR} {text}")
    return _finish(phrase(actor, detail))


def _finish(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _with_reason(text: str, detail: _Detail) -> str:
    reason = detail.text("reason", _MAX_REASON)
    return f"{_finish(text)} Lý do: {reason}" if reason else text


def _date(value: str) -> str:
    """``2026-06-03`` → ``03/06/2026``; a date already written dd/mm/yyyy is kept."""
    try:
        return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
    except ValueError:
        parts = value.split("/")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            return value
        return ""


def _number_label(detail: _Detail) -> str:
    """``05/QĐ-THCSMT``: as recorded, or rebuilt from the number and ký hiệu that events
    written before ``number_label`` existed carry."""
    label = detail.text("number_label")
    if label:
        return label
    number = detail.number("number")
    if number is None or number < 1:
        return ""
    symbol = detail.text("symbol")
    return f"{number:02d}/{symbol}" if symbol else f"{number:02d}"


def _document_name(detail: _Detail, fallback: str = "văn bản") -> str:
    """``Quyết định số 05/QĐ-THCSMT``, or just the kind (or "văn bản") without a number."""
    kind = detail.text("kind_label") or fallback
    number = _number_label(detail)
    return f"{kind} số {number}" if number else kind


def _quoted(text: str) -> str:
    return f"“{text}”" if text else ""


def _documents(labels: list[str]) -> str:
    """A list of documents: bare number labels read as ``văn bản số 05/QĐ-…, 02/TTr-…``."""
    if not labels:
        return ""
    if all(label[0].isdigit() for label in labels):
        return "văn bản số " + ", ".join(labels)
    return ", ".join(f"văn bản số {x}" if x[0].isdigit() else x for x in labels)


def _template_name(detail: _Detail) -> str:
    kind = detail.text("kind_label")
    if not kind:
        code = detail.text("kind")
        kind = load_manifest(code).label if code in KINDS else ""
    return f"mẫu {kind}" if kind else "mẫu văn bản"


def _nominee(detail: _Detail) -> str:
    """``Trần Văn Bình (“Chiến sĩ thi đua cơ sở”)``, or what of it is known."""
    nominee = detail.text("nominee")
    title = _quoted(detail.text("title"))
    if nominee and title:
        return f"{nominee} ({title})"
    return nominee or title


def _votes(detail: _Detail) -> str:
    votes = detail.number("votes_for")
    if votes is None:
        return ""
    total = detail.number("council_total")
    return f"{votes}/{total} phiếu đồng ý" if total else f"{votes} phiếu đồng ý"


def _result(detail: _Detail) -> str:
    """``: 6/7 phiếu đồng ý — Được đề nghị / công nhận (trước đó: Đã gửi, chờ xét)``."""
    parts = [p for p in (_votes(detail), detail.text("status_label")) if p]
    text = (": " + " — ".join(parts)) if parts else ""
    previous = detail.text("previous_status_label")
    return f"{text} (trước đó: {previous})" if previous else text


def _actor(name: str) -> str:
    return name or SYSTEM_ACTOR


# -- one phrase per action: (actor's name or "", detail) -> sentence without the final stop


def _document_create(actor: str, d: _Detail) -> str:
    summary = _quoted(d.text("summary", _MAX_SUMMARY))
    return f"{_actor(actor)} soạn dự thảo {d.text('kind_label') or 'văn bản'} {summary}"


def _document_issue(actor: str, d: _Detail) -> str:
    text = f"{_actor(actor)} phát hành {_document_name(d)}"
    issued = _date(d.text("issued_date") or d.text("date"))
    if issued:
        text += f" ngày {issued}"
    summary = d.text("summary", _MAX_SUMMARY)
    return f"{text} ({summary})" if summary else text


def _document_withdraw(actor: str, d: _Detail) -> str:
    return _with_reason(f"{_actor(actor)} thu hồi {_document_name(d)}", d)


def _document_download(actor: str, d: _Detail) -> str:
    text = f"{_actor(actor)} tải {_document_name(d)}"
    fmt = _FORMATS.get(d.text("format"), "")
    return f"{text} ({fmt})" if fmt else text


def _document_delete(actor: str, d: _Detail) -> str:
    summary = _quoted(d.text("summary", _MAX_SUMMARY))
    return f"{_actor(actor)} xóa dự thảo {d.text('kind_label') or 'văn bản'} {summary}"


def _document_replace(actor: str, d: _Detail) -> str:
    text = f"{_actor(actor)} thu hồi {_document_name(d)} và lập văn bản thay thế"
    return _with_reason(text, d)


def _submission_decide(actor: str, d: _Detail) -> str:
    nominee = _nominee(d)
    text = f"{_actor(actor)} ghi kết quả của Hội đồng"
    return f"{text} cho {nominee}{_result(d)}" if nominee else text + _result(d)


def _submission_override(actor: str, d: _Detail) -> str:
    text = f"{_actor(actor)} giữ kết quả “được đề nghị” dù chưa đạt ngưỡng biểu quyết"
    nominee = _nominee(d)
    if nominee:
        text += f" cho {nominee}"
    votes = _votes(d)
    if votes:
        text += f": {votes}"
    return _with_reason(text, d)


def _submission_redo(actor: str, d: _Detail) -> str:
    nominee = _nominee(d)
    text = f"{_actor(actor)} làm lại kết quả của Hội đồng"
    if nominee:
        text += f" cho {nominee}"
    text += f" sau khi đã phát hành {_documents(d.labels('documents')) or 'văn bản'}"
    return _with_reason(text + _result(d), d)


def _dossier(verb: str) -> Callable[[str, _Detail], str]:
    def phrase(actor: str, d: _Detail) -> str:
        text = f"{_actor(actor)} {verb} hồ sơ khen thưởng"
        round_name = d.text("round")
        if round_name:
            text += f" đợt “{round_name}”"
        parts = d.number("parts")
        if parts is None and d.labels("documents"):
            parts = len(d.labels("documents"))
        return f"{text} ({parts} văn bản)" if parts else text

    return phrase


def _report_save(actor: str, d: _Detail) -> str:
    text = f"{_actor(actor)} viết {d.text('kind_label') or 'báo cáo thành tích'}"
    nominee = d.text("nominee")
    return f"{text} của {nominee}" if nominee else text


def _file_download(actor: str, d: _Detail) -> str:
    name = _quoted(d.text("name"))
    return f"{_actor(actor)} tải tệp đính kèm {name}"


def _template_upload(actor: str, d: _Detail) -> str:
    text = f"{_actor(actor)} tải lên {_template_name(d)}"
    version = d.number("version")
    return f"{text} (phiên bản {version})" if version else text


def _template_activate(actor: str, d: _Detail) -> str:
    template = _template_name(d)
    if d.text("version") == "gốc":
        return f"{_actor(actor)} chuyển {template} về mẫu gốc"
    version = d.number("version")
    if version:
        return f"{_actor(actor)} dùng phiên bản {version} của {template}"
    return f"{_actor(actor)} đổi {template} đang dùng"


def _incoming(verb: str) -> Callable[[str, _Detail], str]:
    def phrase(actor: str, d: _Detail) -> str:
        return f"{_actor(actor)} {verb} văn bản cấp trên {_quoted(d.text('name'))}"

    return phrase


def _entry(verb: str) -> Callable[[str, _Detail], str]:
    def phrase(actor: str, d: _Detail) -> str:
        number, year = d.number("number"), d.number("year")
        label = f"số đến {number:02d}/{year}" if number and year else "một văn bản đến"
        reference = d.text("reference")
        text = f"{_actor(actor)} {verb} {label}"
        text += f" ({reference})" if reference else ""
        into, into_year = d.number("into_number"), d.number("into_year")
        if into and into_year:
            text += f" vào số đến {into:02d}/{into_year}"
        return _with_reason(text, d)

    return phrase


def _incoming_download(actor: str, d: _Detail) -> str:
    return f"{_actor(actor)} tải tệp văn bản cấp trên {_quoted(d.text('name'))}"


def _certificates_download(actor: str, d: _Detail) -> str:
    text = f"{_actor(actor)} tải bộ Giấy khen của hồ sơ khen thưởng"
    round_name = d.text("round")
    if round_name:
        text += f" đợt “{round_name}”"
    fmt = {"zip": "tệp nén .zip", "docx": "bản Word"}.get(d.text("format"), "")
    return f"{text} ({fmt})" if fmt else text


def _account(d: _Detail) -> str:
    """``Trần Văn Bình (binh@truong.edu.vn)``, or what of it is known."""
    name, email = d.text("name"), d.text("email")
    if name and email:
        return f"{name} ({email})"
    return name or email or "một tài khoản"


def _user_create_admin(actor: str, d: _Detail) -> str:
    text = f"{_actor(actor)} tạo tài khoản quản trị {_account(d)}"
    return text + " bằng dòng lệnh trên máy chủ" if d.text("via") == "cli" else text


def _user_grant_admin(actor: str, d: _Detail) -> str:
    return f"{_actor(actor)} cấp quyền quản trị cho tài khoản {_account(d)}"


def _user_password_reset(actor: str, d: _Detail) -> str:
    return f"{_actor(actor)} đặt lại mật khẩu của tài khoản {_account(d)}"


def _user_create(actor: str, d: _Detail) -> str:
    return f"{_actor(actor)} tạo tài khoản {_account(d)} từ danh sách cán bộ"


def _user_password_link(actor: str, d: _Detail) -> str:
    return f"{_actor(actor)} đặt mật khẩu qua liên kết gửi thư"


def _login_success(actor: str, d: _Detail) -> str:
    return f"{_actor(actor)} đăng nhập"


def _login_failure(actor: str, d: _Detail) -> str:
    # Nobody is signed in when a password is wrong: the account tried is the subject.
    email = d.text("email")
    account = f" vào tài khoản {email}" if email else ""
    return f"{actor} đăng nhập sai{account}" if actor else f"Đăng nhập sai{account}"


def _trust_root(verb: str) -> Callable[[str, _Detail], str]:
    def phrase(actor: str, d: _Detail) -> str:
        subject = d.text("subject")
        return f"{_actor(actor)} {verb} chứng thư gốc tin cậy “{subject}”"

    return phrase


def _document_sign(actor: str, d: _Detail) -> str:
    step = {"person": "người có thẩm quyền", "organization": "cơ quan"}.get(d.text("step"), "")
    certificate = d.text("certificate")
    text = f"{_actor(actor)} ký số {_document_name(d)}"
    level = f", mức PAdES-{d.text('level')}" if d.text("level") else ""
    device = ", trên thiết bị ký (USB token)" if d.text("device") == "token" else ""
    if step and certificate:
        return f"{text} (bước {step}, chứng thư “{certificate}”{device}{level})"
    return f"{text} (bước {step}{device}{level})" if step else text


def _document_download_signed(actor: str, d: _Detail) -> str:
    return f"{_actor(actor)} tải bản đã ký số của {_document_name(d)}"


def _attachment(verb: str) -> Callable[[str, _Detail], str]:
    """E.g. "… thêm văn bản kèm theo “Phụ lục.pdf” của Kế hoạch số 05/KH-…"."""

    def phrase(actor: str, d: _Detail) -> str:
        name = _quoted(d.text("name"))
        text = f"{_actor(actor)} {verb} văn bản kèm theo {name} của {_document_name(d)}"
        certificate = d.text("certificate")
        text = " ".join(text.split())
        return f"{text} (chứng thư “{certificate}”)" if certificate else text

    return phrase


def _signing_image(actor: str, d: _Detail) -> str:
    return f"{_actor(actor)} cập nhật ảnh chữ ký của mình"


def _signing_seal(actor: str, d: _Detail) -> str:
    diameter = d.text("diameter_mm", 8)
    size = f" (đường kính {diameter} mm)" if diameter else ""
    return f"{_actor(actor)} cập nhật ảnh con dấu của cơ quan{size}"


def _login_throttled(actor: str, d: _Detail) -> str:
    email = d.text("email")
    account = f" vào tài khoản {email}" if email else ""
    return f"Tạm khóa đăng nhập{account} vì sai mật khẩu quá nhiều lần"


_PHRASES: dict[str, Callable[[str, _Detail], str]] = {
    "document.create": _document_create,
    "document.issue": _document_issue,
    "document.withdraw": _document_withdraw,
    "document.download": _document_download,
    "document.delete": _document_delete,
    "document.replace": _document_replace,
    "submission.decide": _submission_decide,
    "submission.override": _submission_override,
    "submission.redo": _submission_redo,
    "dossier.create": _dossier("lập"),
    "dossier.regenerate": _dossier("lập lại"),
    "report.save": _report_save,
    "file.download": _file_download,
    "template.upload": _template_upload,
    "template.activate": _template_activate,
    "incoming.upload": _incoming("tải lên"),
    "incoming.confirm": _incoming("xác nhận"),
    "incoming.download": _incoming_download,
    "certificates.download": _certificates_download,
    "user.create_admin": _user_create_admin,
    "user.grant_admin": _user_grant_admin,
    "user.password_reset": _user_password_reset,
    "user.create": _user_create,
    "user.password_link": _user_password_link,
    "incoming.register": _entry("vào sổ văn bản đến"),
    "incoming.delete": _entry("xóa khỏi sổ văn bản đến"),
    "incoming.merge": _entry("gộp"),
    "login.success": _login_success,
    "login.failure": _login_failure,
    "login.throttled": _login_throttled,
    "trust_root.add": _trust_root("thêm"),
    "trust_root.remove": _trust_root("gỡ"),
    "document.sign": _document_sign,
    "document.download_signed": _document_download_signed,
    "signing.image": _signing_image,
    "signing.seal": _signing_seal,
    "document.attachment_add": _attachment("thêm"),
    "document.attachment_remove": _attachment("gỡ"),
    "document.attachment_sign": _attachment("ký số"),
    "document.download_attachment": _attachment("tải"),
}
