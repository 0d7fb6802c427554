"""Jinja filters and globals for Vietnamese display."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.emulation.choices import title_name
from storage.models import JOB_STATUS_LABELS
from storage.models import ROLE_LABELS
from storage.models import STATUS_LABELS
from storage.models import SUBMISSION_KIND_LABELS

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_date(value: date | datetime | None) -> str:
    """``24/05/2025``; datetimes are shown in Vietnam time with hours."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo("UTC"))
        return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def _label(mapping: dict, value: str) -> str:
    # The keys are StrEnums, which hash and compare like their string values.
    return mapping.get(value, value)


FILTERS = {
    "vn_date": vn_date,
    "kind_label": lambda v: _label(SUBMISSION_KIND_LABELS, v),
    "status_label": lambda v: _label(STATUS_LABELS, v),
    "role_label": lambda v: _label(ROLE_LABELS, v),
    "job_status_label": lambda v: _label(JOB_STATUS_LABELS, v),
    "title_name": title_name,
}
# The navigation bar: (endpoint, label, who sees it). A link appears once its endpoint exists,
# so each feature's blueprint brings its own entry to life.
NAV = (
    ("main.index", "Trang chính", "all"),
    ("submissions.mine", "Hồ sơ của tôi", "all"),
    ("reports.mine", "Báo cáo thành tích", "all"),
    ("review.index", "Xét duyệt", "clerk"),
    ("dossier.index", "Hồ sơ khen thưởng", "clerk"),
    ("documents.index", "Văn bản đi", "clerk"),
    ("documents.register", "Sổ văn bản đi", "clerk"),
    ("plans.index", "Văn bản cấp trên", "clerk"),
    ("incoming.index", "Sổ văn bản đến", "clerk"),
    ("incoming.mine", "Văn bản được giao", "all"),
    ("calendar.index", "Lịch hạn", "all"),
    ("checker.index", "Kiểm tra thể thức", "clerk"),
    ("admin.index", "Quản trị", "admin"),
)


def nav_links(user: object) -> list[tuple[str, str]]:
    """The (endpoint, label) pairs this user sees."""
    from flask import current_app

    allowed = {"all"}
    if getattr(user, "is_clerk", False):
        allowed.add("clerk")
    if getattr(user, "is_admin", False):
        allowed.add("admin")
    return [
        (endpoint, label)
        for endpoint, label, who in NAV
        if who in allowed and endpoint in current_app.view_functions
    ]


def current_nav(links: list[tuple[str, str]], endpoint: str | None) -> str | None:
    """The one nav link to mark as the current page: the page's own link, otherwise the
    first link of the page's blueprint (a detail page marks its list). Two links of one
    blueprint ("Sổ văn bản đến", "Văn bản được giao") are never both marked."""
    if not endpoint:
        return None
    endpoints = [link for link, _label in links]
    if endpoint in endpoints:
        return endpoint
    blueprint = endpoint.split(".")[0]
    return next((link for link in endpoints if link.split(".")[0] == blueprint), None)


GLOBALS = {
    "current_nav": current_nav,
    "nav_links": nav_links,
    "SUBMISSION_KIND_LABELS": SUBMISSION_KIND_LABELS,
    "STATUS_LABELS": STATUS_LABELS,
}
