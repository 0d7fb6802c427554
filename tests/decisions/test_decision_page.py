"""The review page's "Kết quả Hội đồng" form, with CSRF on as in production: a refused result
answers 400 with the Vietnamese reason and leaves the row as it was."""

from __future__ import annotations

import html
import re

from storage.models import Document
from storage.models import Submission
from tests.decisions.conftest import DECISION_LABEL
from tests.decisions.conftest import csrf_token
from tests.decisions.conftest import decision_events
from tests.decisions.conftest import load

REASON = "Hội đồng giữ đề nghị: thành viên vắng mặt đã gửi phiếu đồng ý bằng văn bản."


def post_decision(client, submission_id: int, **fields: str):
    """Open the review page and send its decision form with the page's CSRF token."""
    page = client.get(f"/xet-duyet/{submission_id}").get_data(as_text=True)
    data = {
        "decision-csrf_token": csrf_token(page),
        "decision-votes_for": "5",
        "decision-council_total": "7",
        "decision-decision": "approved",
        "decision-note": "",
    } | {f"decision-{name}": value for name, value in fields.items()}
    return client.post(f"/xet-duyet/{submission_id}/ket-qua", data=data)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_below_threshold_approval_answers_400_with_the_reason_and_changes_nothing(
    csrf_clerk, csrf_app, nominee
):
    response = post_decision(csrf_clerk, nominee)
    assert response.status_code == 400
    page = text_of(response)
    assert "Không thể ghi “được đề nghị / công nhận”" in page
    assert "kết quả ghi nhận 5/7 (71,43%)" in page
    assert 'role="alert"' in page
    saved = load(csrf_app, Submission, nominee)
    assert (saved.status, saved.votes_for, saved.council_total) == ("submitted", None, None)
    assert decision_events(csrf_app) == []


def test_post_without_the_csrf_token_is_refused(csrf_clerk, csrf_app, nominee):
    data = {
        "decision-votes_for": "8",
        "decision-council_total": "9",
        "decision-decision": "approved",
    }
    response = csrf_clerk.post(f"/xet-duyet/{nominee}/ket-qua", data=data)
    assert response.status_code == 400
    assert load(csrf_app, Submission, nominee).status == "submitted"


def test_passing_vote_is_recorded(csrf_clerk, csrf_app, nominee):
    response = post_decision(csrf_clerk, nominee, votes_for="8", council_total="10")
    assert response.status_code == 302
    saved = load(csrf_app, Submission, nominee)
    assert (saved.status, saved.votes_for, saved.council_total) == ("approved", 8, 10)


def test_override_reason_is_kept_and_shown_on_the_page(csrf_clerk, csrf_app, nominee):
    response = post_decision(csrf_clerk, nominee, override_reason=REASON)
    assert response.status_code == 302
    assert load(csrf_app, Submission, nominee).vote_override == REASON
    page = text_of(csrf_clerk.get(f"/xet-duyet/{nominee}"))
    assert "Kết quả được giữ dù chưa đạt ngưỡng biểu quyết" in page
    assert f"Lý do đã ghi: {REASON}" in page
    # Re-saving (say, to add a note) sends the stored reason back with the form.
    assert re.search(r"<textarea[^>]*override_reason[^>]*>\s*" + re.escape(REASON), page)


def test_page_offers_the_override_field_but_no_redo_without_issued_documents(csrf_clerk, nominee):
    page = text_of(csrf_clerk.get(f"/xet-duyet/{nominee}"))
    assert "Lý do giữ kết quả dù chưa đạt ngưỡng biểu quyết" in page
    assert "Làm lại: lý do thu hồi" not in page
    # CSP script-src 'self': no inline scripts or styles.
    assert "style=" not in page
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))


def test_change_of_an_issued_result_answers_400_listing_the_document(
    csrf_clerk, csrf_app, issued_decision
):
    submission_id = issued_decision["submission"]
    page = text_of(csrf_clerk.get(f"/xet-duyet/{submission_id}"))
    assert DECISION_LABEL in page and "Làm lại: lý do thu hồi văn bản đã phát hành" in page
    response = post_decision(csrf_clerk, submission_id, decision="rejected", votes_for="6")
    assert response.status_code == 400
    assert f"Kết quả này đã có trong văn bản đã phát hành: {DECISION_LABEL}." in text_of(response)
    saved = load(csrf_app, Submission, submission_id)
    assert (saved.status, saved.votes_for, saved.council_total) == ("approved", 6, 7)
    assert load(csrf_app, Document, issued_decision["document"]).status == "issued"


def test_redo_through_the_page_withdraws_the_document(csrf_clerk, csrf_app, issued_decision):
    submission_id = issued_decision["submission"]
    response = post_decision(
        csrf_clerk, submission_id, decision="rejected", votes_for="6",
        redo_reason="Kiểm phiếu lại theo biên bản bổ sung.",
    )  # fmt: skip
    assert response.status_code == 302
    assert load(csrf_app, Submission, submission_id).status == "rejected"
    assert load(csrf_app, Document, issued_decision["document"]).status == "withdrawn"
    page = text_of(csrf_clerk.get(response.headers["Location"]))
    assert f"Đã thu hồi để thay thế: {DECISION_LABEL}." in page
    assert "Làm lại: lý do thu hồi" not in page  # nothing issued names it any more
    actions = [e.action for e in decision_events(csrf_app)]
    assert actions == ["submission.redo", "document.replace", "submission.decide"]
