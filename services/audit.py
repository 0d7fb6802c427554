"""The audit log: who issued, withdrew or downloaded which document, and sign-in events."""

from __future__ import annotations

from typing import Any

from flask import g
from flask import has_request_context
from flask import request
from sqlalchemy.orm import Session

from storage.models import AuditEvent

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
    "login.success": "Đăng nhập",
    "login.failure": "Đăng nhập sai",
    "login.throttled": "Đăng nhập bị tạm khoá",
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
