"""services.audit.describe: every audit event reads as one Vietnamese sentence naming who
acted; missing or odd detail keys give a shorter sentence, never an error or a raw key."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from services.audit import ACTIONS
from services.audit import describe
from storage.models import AuditEvent
from storage.models import User

HOA = "Nguyễn Thị Hoa"


def event(action: str, detail: Any = None, *, actor: str | None = HOA) -> AuditEvent:
    """An event in memory, as the audit page loads it (the user relationship filled)."""
    found = AuditEvent(action=action, detail=detail)
    found.user = User(full_name=actor) if actor is not None else None
    return found


# -- documents ---------------------------------------------------------------------------


def test_issue_names_kind_number_date_and_summary():
    detail = {
        "kind_label": "Tờ trình",
        "number_label": "02/TTr-THCSMT",
        "issued_date": "2026-06-03",
        "summary": "Về việc đề nghị khen thưởng năm học 2025-2026",
    }
    assert describe(event("document.issue", detail)) == (
        "Nguyễn Thị Hoa phát hành Tờ trình số 02/TTr-THCSMT ngày 03/06/2026 "
        "(Về việc đề nghị khen thưởng năm học 2025-2026)."
    )


def test_older_document_events_rebuild_the_number_from_number_and_symbol():
    # What views.documents recorded before number_label existed.
    old = {"number": 5, "year": 2026, "symbol": "QĐ-THCSMT"}
    assert describe(event("document.issue", old)) == (
        "Nguyễn Thị Hoa phát hành văn bản số 05/QĐ-THCSMT."
    )
    withdrawn = {"number": 5, "reason": "Sai đối tượng"}
    assert describe(event("document.withdraw", withdrawn)) == (
        "Nguyễn Thị Hoa thu hồi văn bản số 05. Lý do: Sai đối tượng."
    )


def test_withdraw_download_delete_create_replace():
    decision = {"kind_label": "Quyết định", "number_label": "05/QĐ-THCSMT"}
    assert describe(event("document.withdraw", decision | {"reason": "Sai tên."})) == (
        "Nguyễn Thị Hoa thu hồi Quyết định số 05/QĐ-THCSMT. Lý do: Sai tên."
    )
    assert describe(event("document.download", decision | {"format": "pdf"})) == (
        "Nguyễn Thị Hoa tải Quyết định số 05/QĐ-THCSMT (bản PDF)."
    )
    assert describe(event("document.replace", decision | {"reason": "Sai tên"})) == (
        "Nguyễn Thị Hoa thu hồi Quyết định số 05/QĐ-THCSMT và lập văn bản thay thế. Lý do: Sai tên."
    )
    plan = {"kind_label": "Kế hoạch", "summary": "Tổ chức phong trào thi đua"}
    assert describe(event("document.delete", plan)) == (
        "Nguyễn Thị Hoa xóa dự thảo Kế hoạch “Tổ chức phong trào thi đua”."
    )
    assert describe(event("document.create", plan)) == (
        "Nguyễn Thị Hoa soạn dự thảo Kế hoạch “Tổ chức phong trào thi đua”."
    )


def test_a_long_summary_is_shortened():
    sentence = describe(event("document.delete", {"kind_label": "Kế hoạch", "summary": "a" * 2000}))
    assert len(sentence) < 250 and "…”" in sentence


# -- submissions -------------------------------------------------------------------------

BINH = {"nominee": "Trần Văn Bình", "title": "Chiến sĩ thi đua cơ sở"}


def test_decide_gives_votes_result_and_previous_result():
    detail = BINH | {
        "votes_for": 6,
        "council_total": 7,
        "status_label": "Được đề nghị / công nhận",
        "previous_status_label": "Đã gửi, chờ xét",
    }
    assert describe(event("submission.decide", detail)) == (
        "Nguyễn Thị Hoa ghi kết quả của Hội đồng cho Trần Văn Bình (“Chiến sĩ thi đua cơ sở”): "
        "6/7 phiếu đồng ý — Được đề nghị / công nhận (trước đó: Đã gửi, chờ xét)."
    )


def test_override_gives_the_reason():
    detail = BINH | {"votes_for": 3, "council_total": 7, "reason": "Hội đồng thống nhất"}
    assert describe(event("submission.override", detail)) == (
        "Nguyễn Thị Hoa giữ kết quả “được đề nghị” dù chưa đạt ngưỡng biểu quyết cho "
        "Trần Văn Bình (“Chiến sĩ thi đua cơ sở”): 3/7 phiếu đồng ý. Lý do: Hội đồng thống nhất."
    )


def test_redo_lists_the_documents_already_issued():
    detail = BINH | {
        "documents": ["05/QĐ-THCSMT", "02/TTr-THCSMT"],
        "status_label": "Không được đề nghị",
        "previous_status_label": "Được đề nghị / công nhận",
        "reason": "Nhầm phiếu",
    }
    assert describe(event("submission.redo", detail)) == (
        "Nguyễn Thị Hoa làm lại kết quả của Hội đồng cho Trần Văn Bình "
        "(“Chiến sĩ thi đua cơ sở”) sau khi đã phát hành văn bản số 05/QĐ-THCSMT, "
        "02/TTr-THCSMT: Không được đề nghị (trước đó: Được đề nghị / công nhận). "
        "Lý do: Nhầm phiếu."
    )


# -- dossier, report ---------------------------------------------------------------------


def test_dossier_create_and_regenerate_count_documents():
    assert describe(event("dossier.create", {"round": "Năm học 2025-2026", "parts": 6})) == (
        "Nguyễn Thị Hoa lập hồ sơ khen thưởng đợt “Năm học 2025-2026” (6 văn bản)."
    )
    regenerated = {"round": "Năm học 2025-2026", "documents": ["Tờ trình", "Quyết định"]}
    assert describe(event("dossier.regenerate", regenerated)) == (
        "Nguyễn Thị Hoa lập lại hồ sơ khen thưởng đợt “Năm học 2025-2026” (2 văn bản)."
    )


def test_report_save_names_the_nominee():
    detail = {"nominee": "Trần Văn Bình", "kind_label": "Báo cáo thành tích cá nhân"}
    assert describe(event("report.save", detail)) == (
        "Nguyễn Thị Hoa viết Báo cáo thành tích cá nhân của Trần Văn Bình."
    )


# -- files, templates, incoming plans, sign-in ---------------------------------------------


def test_files_templates_and_incoming_plans():
    assert describe(event("file.download", {"submission": 3, "name": "minh chứng.pdf"})) == (
        "Nguyễn Thị Hoa tải tệp đính kèm “minh chứng.pdf”."
    )
    assert describe(event("template.upload", {"kind": "ke_hoach", "version": 2})) == (
        "Nguyễn Thị Hoa tải lên mẫu Kế hoạch (phiên bản 2)."
    )
    assert describe(event("template.activate", {"kind": "ke_hoach", "version": 2})) == (
        "Nguyễn Thị Hoa dùng phiên bản 2 của mẫu Kế hoạch."
    )
    assert describe(event("template.activate", {"kind": "ke_hoach", "version": "gốc"})) == (
        "Nguyễn Thị Hoa chuyển mẫu Kế hoạch về mẫu gốc."
    )
    assert describe(event("incoming.upload", {"name": "KH 12-UBND.pdf"})) == (
        "Nguyễn Thị Hoa tải lên văn bản cấp trên “KH 12-UBND.pdf”."
    )
    assert describe(event("incoming.confirm")) == "Nguyễn Thị Hoa xác nhận văn bản cấp trên."


def test_sign_in_events():
    assert describe(event("login.success")) == "Nguyễn Thị Hoa đăng nhập."
    # Nobody is signed in when the password is wrong: the account tried is named instead.
    failure = event("login.failure", {"email": "hoa@truong.edu.vn"}, actor=None)
    assert describe(failure) == "Đăng nhập sai vào tài khoản hoa@truong.edu.vn."
    throttled = event("login.throttled", {"email": "hoa@truong.edu.vn"}, actor=None)
    assert describe(throttled) == (
        "Tạm khóa đăng nhập vào tài khoản hoa@truong.edu.vn vì sai mật khẩu quá nhiều lần."
    )


# -- robustness ----------------------------------------------------------------------------


def test_an_event_without_a_user_is_the_system():
    assert describe(event("dossier.regenerate", {"round": "Năm học 2025-2026"}, actor=None)) == (
        "Hệ thống lập lại hồ sơ khen thưởng đợt “Năm học 2025-2026”."
    )
    assert describe(event("report.save", {}, actor="")) == "Hệ thống viết báo cáo thành tích."


# Every key any event may carry, with values of the wrong type or empty.
ODD_DETAILS: list[Any] = [
    None,
    {},
    [1, 2],
    dict.fromkeys(
        (
            "kind_label",
            "number_label",
            "summary",
            "reason",
            "number",
            "symbol",
            "nominee",
            "title",
            "votes_for",
            "council_total",
            "status_label",
            "previous_status_label",
            "documents",
            "round",
            "parts",
            "format",
            "name",
            "kind",
            "version",
            "email",
            "issued_date",
        ),
        None,
    ),  # fmt: skip
    {
        "number": "x",
        "votes_for": True,
        "parts": {"a": 1},
        "documents": [None, {}, ""],
        "kind": "khong_co",
        "issued_date": "hôm qua",
        "summary": ["a"],
        "version": -1,
    },  # fmt: skip
]


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("detail", ODD_DETAILS, ids=range(len(ODD_DETAILS)))
def test_missing_or_odd_keys_give_a_shorter_sentence(action, detail):
    sentence = describe(event(action, detail))
    assert sentence.startswith((HOA, "Đăng nhập sai", "Tạm khóa")) and sentence.endswith(".")
    for raw in ("None", "True", "{", "[", "_label", "votes_for", "khong_co", "hôm qua"):
        assert raw not in sentence
    assert "thực hiện" not in sentence  # every known action has its own wording
    assert "  " not in sentence and " ." not in sentence and " (" not in sentence[-3:]


def test_every_sentence_is_nfc():
    decomposed = unicodedata.normalize("NFD", "Trần Văn Bình")
    sentence = describe(event("report.save", {"nominee": decomposed}))
    assert unicodedata.is_normalized("NFC", sentence) and "Trần Văn Bình" in sentence


def test_an_unknown_action_is_not_shown_raw():
    assert describe(event("something.else", {"x": 1})) == "Nguyễn Thị Hoa thực hiện một thao tác."
