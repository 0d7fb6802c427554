"""services.decisions.record_result: the council's vote threshold is enforced, an exception
needs a written reason, and a result named by an issued document changes only by a redo."""

from __future__ import annotations

import unicodedata

import pytest

from services.decisions import DecisionError
from services.decisions import Outcome
from services.decisions import record_result
from storage.models import Document
from storage.models import Organization
from storage.models import Submission
from tests.decisions.conftest import DECISION_LABEL
from tests.decisions.conftest import add_submission
from tests.decisions.conftest import decision_events
from tests.decisions.conftest import load

OVERRIDE = "Hội đồng giữ đề nghị vì thành viên vắng mặt đã gửi ý kiến đồng ý sau buổi họp."


def decide(db_session, world, submission_id: int, **values) -> Outcome:
    """Record a result as the clerk and commit it (values default to a 5/7 approval)."""
    submission = db_session.get(Submission, submission_id)
    arguments = {
        "votes_for": 5,
        "council_total": 7,
        "status": "approved",
        "note": "",
        "override_reason": "",
        "redo_reason": "",
    }
    outcome = record_result(
        db_session,
        submission,
        org=db_session.get(Organization, world["school"]),
        user_id=world["clerk"],
        **(arguments | values),
    )
    db_session.commit()
    return outcome


def refused(db_session, world, submission_id: int, **values) -> str:
    with pytest.raises(DecisionError) as caught:
        decide(db_session, world, submission_id, **values)
    db_session.rollback()
    return caught.value.message


@pytest.mark.parametrize(
    ("ruleset_id", "basis"),
    [
        ("ND98_2023", "(NĐ 98/2023/NĐ-CP, Điều 30 khoản 7)"),
        ("ND152_2025", "NĐ 152/2025/NĐ-CP"),
    ],
)
def test_approval_below_threshold_is_refused_with_required_and_actual_figures(
    app, world, rounds, db_session, ruleset_id, basis
):
    submission_id = add_submission(app, world, rounds[ruleset_id])
    message = refused(db_session, world, submission_id)
    assert message.startswith("Không thể ghi “được đề nghị / công nhận”: “Chiến sĩ thi đua cơ sở”")
    assert "cần từ 80% trở lên tổng số thành viên Hội đồng đồng ý" in message
    assert basis in message
    assert message.endswith(
        "kết quả ghi nhận 5/7 (71,43%). Nếu Hội đồng vẫn giữ kết quả này, hãy ghi lý do giữ "
        "kết quả."
    )
    saved = load(app, Submission, submission_id)
    assert (saved.status, saved.votes_for, saved.council_total) == ("submitted", None, None)
    assert decision_events(app) == []


@pytest.mark.parametrize("ruleset_id", ["ND98_2023", "ND152_2025"])
def test_exactly_eighty_percent_passes(app, world, rounds, db_session, ruleset_id):
    submission_id = add_submission(app, world, rounds[ruleset_id])
    outcome = decide(db_session, world, submission_id, votes_for=8, council_total=10)
    assert outcome.vote.passed and not outcome.overridden
    saved = load(app, Submission, submission_id)
    assert (saved.status, saved.votes_for, saved.council_total) == ("approved", 8, 10)
    assert saved.vote_override == ""


def test_one_vote_short_of_eighty_percent_is_refused(app, world, nominee, db_session):
    message = refused(db_session, world, nominee, votes_for=7, council_total=9)
    assert "kết quả ghi nhận 7/9 (77,78%)" in message


def test_override_with_reason_keeps_the_approval_stores_the_reason_and_is_audited(
    app, world, nominee, db_session
):
    outcome = decide(db_session, world, nominee, override_reason=f"  {OVERRIDE}\n")
    assert outcome.overridden and not outcome.vote.passed
    saved = load(app, Submission, nominee)
    assert (saved.status, saved.votes_for, saved.council_total) == ("approved", 5, 7)
    assert saved.vote_override == OVERRIDE
    decided, override = decision_events(app)
    assert decided.action == "submission.decide" and override.action == "submission.override"
    assert override.object_type == "submission" and override.object_id == str(nominee)
    assert override.detail["reason"] == OVERRIDE
    assert override.user_id == world["clerk"] and override.organization_id == world["school"]


def test_override_reason_is_stored_in_nfc(app, world, nominee, db_session):
    decomposed = unicodedata.normalize("NFD", OVERRIDE)
    decide(db_session, world, nominee, override_reason=decomposed)
    assert load(app, Submission, nominee).vote_override == OVERRIDE


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_override_without_reason_is_refused(app, world, nominee, db_session, reason):
    message = refused(db_session, world, nominee, override_reason=reason)
    assert "5/7 (71,43%)" in message
    assert load(app, Submission, nominee).status == "submitted"


def test_override_reason_longer_than_2000_characters_is_refused(app, world, nominee, db_session):
    message = refused(db_session, world, nominee, override_reason="a" * 2001)
    assert message == "Lý do giữ kết quả tối đa 2000 ký tự."
    assert load(app, Submission, nominee).status == "submitted"


def test_rejecting_a_nominee_below_threshold_is_recorded(app, world, nominee, db_session):
    outcome = decide(db_session, world, nominee, status="rejected")
    assert outcome.vote is None and not outcome.overridden
    saved = load(app, Submission, nominee)
    assert (saved.status, saved.votes_for, saved.council_total) == ("rejected", 5, 7)
    assert saved.vote_override == ""


def test_a_passing_vote_clears_an_earlier_override(app, world, nominee, db_session):
    decide(db_session, world, nominee, override_reason=OVERRIDE)
    outcome = decide(db_session, world, nominee, votes_for=7, override_reason=OVERRIDE)
    assert outcome.vote.passed and not outcome.overridden
    assert load(app, Submission, nominee).vote_override == ""
    assert [e.action for e in decision_events(app)].count("submission.override") == 1


def test_rejecting_an_overridden_approval_clears_the_reason(app, world, nominee, db_session):
    decide(db_session, world, nominee, override_reason=OVERRIDE)
    decide(db_session, world, nominee, status="rejected", override_reason=OVERRIDE)
    assert load(app, Submission, nominee).vote_override == ""


@pytest.mark.parametrize(
    ("votes_for", "council_total"), [(None, None), (None, 7)], ids=["no vote", "no votes for"]
)
def test_approval_without_votes_is_refused_for_a_titled_submission(
    app, world, nominee, db_session, votes_for, council_total
):
    message = refused(
        db_session, world, nominee, votes_for=votes_for, council_total=council_total,
        override_reason=OVERRIDE,
    )  # fmt: skip
    assert message.startswith("Chưa ghi kết quả biểu quyết")
    assert "“Chiến sĩ thi đua cơ sở”" in message and "từ 80% trở lên" in message
    assert load(app, Submission, nominee).status == "submitted"


def test_approval_without_votes_is_fine_without_a_title(app, world, rounds, db_session):
    exemplary = add_submission(app, world, rounds["ND98_2023"], title_code="")
    outcome = decide(db_session, world, exemplary, votes_for=None, council_total=None)
    assert outcome.vote is None
    assert load(app, Submission, exemplary).status == "approved"


def test_other_titles_use_the_rule_sets_default_majority(app, world, rounds, db_session):
    ldtt = add_submission(app, world, rounds["ND152_2025"], title_code="LDTT")
    message = refused(db_session, world, ldtt, votes_for=3, council_total=6)
    assert "“Lao động tiên tiến” cần trên 50% tổng số thành viên Hội đồng" in message
    assert decide(db_session, world, ldtt, votes_for=4, council_total=6).vote.passed


def test_impossible_counts_are_refused_even_without_the_form(app, world, nominee, db_session):
    message = refused(db_session, world, nominee, votes_for=8, council_total=7, status="rejected")
    assert "phải từ 0 đến tổng số thành viên Hội đồng (7)" in message


def test_every_result_is_audited_with_the_sentence_keys(app, world, nominee, db_session):
    decide(db_session, world, nominee, votes_for=6, council_total=7, note="Họp ngày 28/5")
    (event,) = decision_events(app)
    assert event.action == "submission.decide"
    assert (event.object_type, event.object_id) == ("submission", str(nominee))
    assert event.detail == {
        "nominee": "Nguyễn Văn An",
        "title": "Chiến sĩ thi đua cơ sở",
        "votes_for": 6,
        "council_total": 7,
        "status_label": "Được đề nghị / công nhận",
        "previous_status_label": "Đã gửi, chờ xét",
    }
    saved = load(app, Submission, nominee)
    assert saved.decision_note == "Họp ngày 28/5" and saved.decided_by_id == world["clerk"]


# -- Results named by an issued document ---------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"status": "rejected", "votes_for": 6},
        {"votes_for": 7},
        {"council_total": 8, "votes_for": 7},
        {"status": "submitted", "votes_for": 6},
    ],
    ids=["status", "votes", "council", "undecided"],
)
def test_changing_a_result_named_by_an_issued_document_is_refused_listing_it(
    app, world, issued_decision, db_session, change
):
    message = refused(db_session, world, issued_decision["submission"], **change)
    assert message == (
        f"Kết quả này đã có trong văn bản đã phát hành: {DECISION_LABEL}. Muốn thay đổi, hãy ghi "
        "lý do vào ô “Làm lại” bên dưới rồi ghi kết quả: văn bản đó sẽ bị thu hồi và được thay thế."
    )
    saved = load(app, Submission, issued_decision["submission"])
    assert (saved.status, saved.votes_for, saved.council_total) == ("approved", 6, 7)
    assert load(app, Document, issued_decision["document"]).status == "issued"


def test_editing_only_the_note_of_an_issued_result_is_allowed(
    app, world, issued_decision, db_session
):
    outcome = decide(
        db_session, world, issued_decision["submission"], votes_for=6, note="Bổ sung biên bản"
    )
    assert outcome.withdrawn == ()
    assert load(app, Submission, issued_decision["submission"]).decision_note == "Bổ sung biên bản"
    assert load(app, Document, issued_decision["document"]).status == "issued"


def test_a_withdrawn_document_no_longer_holds_the_result(app, world, issued_decision, db_session):
    document = db_session.get(Document, issued_decision["document"])
    document.status = "withdrawn"
    db_session.commit()
    decide(db_session, world, issued_decision["submission"], status="rejected")
    assert load(app, Submission, issued_decision["submission"]).status == "rejected"


def test_redo_withdraws_the_issued_document_keeps_its_number_and_is_audited(
    app, world, issued_decision, db_session
):
    reason = "Hội đồng kiểm phiếu lại: một phiếu bị ghi nhầm."
    outcome = decide(
        db_session, world, issued_decision["submission"], status="rejected", redo_reason=reason
    )
    assert [d.id for d in outcome.withdrawn] == [issued_decision["document"]]
    document = load(app, Document, issued_decision["document"])
    assert document.status == "withdrawn"
    assert (document.year, document.number, document.symbol) == (2025, 5, "QĐ-THCSMT")
    assert document.withdraw_reason == f"Thay thế do làm lại kết quả xét của Hội đồng: {reason}"
    assert document.withdrawn_by_id == world["clerk"]
    assert load(app, Submission, issued_decision["submission"]).status == "rejected"
    redo, replace, decided = decision_events(app)
    assert redo.action == "submission.redo"
    assert redo.detail["reason"] == reason and redo.detail["documents"] == ["05/QĐ-THCSMT"]
    assert replace.action == "document.replace"
    assert (replace.object_type, replace.object_id) == ("document", str(document.id))
    assert replace.detail == {
        "kind_label": "Quyết định công nhận danh hiệu, khen thưởng",
        "number_label": "05/QĐ-THCSMT",
        "summary": "Về việc công nhận danh hiệu Chiến sĩ thi đua cơ sở năm học 2024-2025",
        "reason": reason,
    }
    assert decided.action == "submission.decide"
    assert decided.detail["status_label"] == "Không được đề nghị"
    assert decided.detail["previous_status_label"] == "Được đề nghị / công nhận"


def test_redo_still_needs_the_threshold_and_withdraws_nothing_when_refused(
    app, world, issued_decision, db_session
):
    message = refused(
        db_session, world, issued_decision["submission"], votes_for=5, redo_reason="Kiểm lại"
    )
    assert "5/7 (71,43%)" in message
    assert load(app, Document, issued_decision["document"]).status == "issued"
    assert decision_events(app) == []
