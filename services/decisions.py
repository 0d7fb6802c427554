"""Recording the council's result on a submission (kết quả xét của Hội đồng Thi đua - Khen thưởng).

Two rules the review page used to leave to the clerk's attention:

* An approval of a title or form needs the council's vote and must reach the rule set's
  threshold (NĐ 98/2023/NĐ-CP, Điều 30 khoản 7: ≥ 80 % of ALL council members for CSTĐCS).
  A result below it stands only with a written reason (``Submission.vote_override``), which
  is audited, so the exception is visible rather than silent.
* A result that an issued document already names (``DocumentSubject``) does not change
  silently: the clerk must ask for a redo with a reason, which withdraws those documents
  (their numbers stay used) so replacements can be drafted.

Everything is checked before anything is written; the caller commits, or rolls back on
:class:`DecisionError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.emulation.errors import EmulationError
from domain.emulation.rulesets import get_ruleset
from domain.emulation.titles import get_title
from domain.emulation.votes import VoteResult
from domain.emulation.votes import check_vote
from domain.emulation.votes import effective_vote_rule
from domain.errors import VanthuError
from domain.text import nfc
from services import audit
from services import notifications
from services.documents import kind_label
from services.documents import number_label
from services.register import RegisterError
from services.register import withdraw_document
from storage.models import STATUS_LABELS
from storage.models import Document
from storage.models import DocumentStatus
from storage.models import DocumentSubject
from storage.models import Organization
from storage.models import Submission
from storage.models import SubmissionStatus

MAX_REASON = 2000
APPROVED_TEXT = "“được đề nghị / công nhận”"


class DecisionError(VanthuError, ValueError):
    """The result cannot be recorded; the message is Vietnamese and meant for the clerk."""

    code = "decision_refused"


@dataclass(frozen=True)
class Outcome:
    """What :func:`record_result` did.

    Attributes:
        submission: the submission, with the new result applied (not yet committed).
        vote: the threshold check, when the approval of a title was checked.
        overridden: the approval stands below the threshold, with the reason stored.
        withdrawn: issued documents withdrawn by a redo; replacements are to be drafted.
    """

    submission: Submission
    vote: VoteResult | None
    overridden: bool
    withdrawn: tuple[Document, ...]


def record_result(
    session: Session,
    submission: Submission,
    *,
    org: Organization,
    votes_for: int | None,
    council_total: int | None,
    status: str,
    note: str = "",
    override_reason: str = "",
    redo_reason: str = "",
    user_id: int,
) -> Outcome:
    """Check and record the council's result on ``submission`` in ``session``.

    Raises:
        DecisionError: the approval lacks the vote or is below the threshold without a
            reason; a reason is too long; or the result is named by an issued document and
            no redo was asked for (or a withdrawal failed).
    """
    new_status = _status(status)
    override = _reason(override_reason, "Lý do giữ kết quả")
    redo = _reason(redo_reason, "Lý do làm lại")
    _check_counts(votes_for, council_total)
    vote = None
    if new_status == SubmissionStatus.APPROVED and submission.title_code:
        vote = _judge(submission, org, votes_for, council_total, override_given=bool(override))
    overridden = vote is not None and not vote.passed
    changed = (submission.status, submission.votes_for, submission.council_total) != (
        new_status.value,
        votes_for,
        council_total,
    )
    issued = issued_documents(session, submission) if changed else []
    if issued and not redo:
        raise DecisionError(_issued_message(issued))
    # Everything is checked: from here on the result is written.
    detail = _detail(submission, new_status, votes_for, council_total)
    withdrawn = _redo(session, submission, issued, redo, detail, user_id) if issued else ()
    # A reason is kept only while the result actually rests on it.
    kept_reason = override if overridden else ""
    _write(submission, new_status, votes_for, council_total, note, kept_reason, user_id)
    _audit(session, "submission.decide", submission, detail, user_id)
    if changed:  # a letter to the sender, written in this transaction (never lost)
        notifications.decision_letter(session, submission, _status_label(new_status))
    if overridden:
        _audit(session, "submission.override", submission, detail | {"reason": override}, user_id)
    return Outcome(submission, vote, overridden, withdrawn)


def issued_documents(session: Session, submission: Submission) -> list[Document]:
    """The issued (not withdrawn) documents that name ``submission``, oldest first."""
    return list(
        session.scalars(
            select(Document)
            .join(DocumentSubject, DocumentSubject.document_id == Document.id)
            .where(
                DocumentSubject.submission_id == submission.id,
                Document.organization_id == submission.organization_id,
                Document.status == DocumentStatus.ISSUED.value,
            )
            .order_by(Document.issued_date, Document.year, Document.number)
        )
    )


def document_label(document: Document) -> str:
    """``Quyết định … số 05/QĐ-THCSMT ngày 02/06/2025``: how a clerk cites an issued document."""
    label = f"{kind_label(document.kind)} số {number_label(document)}"
    if document.issued_date is not None:
        label += f" ngày {document.issued_date:%d/%m/%Y}"
    return label


def _status(value: str) -> SubmissionStatus:
    try:
        return SubmissionStatus(value)
    except ValueError:
        raise DecisionError("Kết quả xét không hợp lệ.") from None


def _reason(value: str | None, what: str) -> str:
    reason = nfc(value or "").strip()
    if len(reason) > MAX_REASON:
        raise DecisionError(f"{what} tối đa {MAX_REASON} ký tự.")
    return reason


def _check_counts(votes_for: int | None, council_total: int | None) -> None:
    # The form checks these too; the service must not trust its caller for a legal count.
    if votes_for is not None and council_total is None:
        raise DecisionError("Nhập cả tổng số thành viên Hội đồng.")
    if votes_for is not None and council_total is not None:
        if council_total < 1 or not 0 <= votes_for <= council_total:
            raise DecisionError(
                f"Số phiếu đồng ý ({votes_for}) phải từ 0 đến tổng số thành viên Hội đồng "
                f"({council_total})."
            )


def _judge(
    submission: Submission,
    org: Organization,
    votes_for: int | None,
    council_total: int | None,
    *,
    override_given: bool,
) -> VoteResult:
    """Check an approval against the round's vote threshold; refuse it unless it passes or
    the clerk gave the reason the council keeps it anyway."""
    try:
        ruleset = get_ruleset(submission.round.ruleset_id)
        title = get_title(submission.title_code)
        if votes_for is None or council_total is None:
            rule, _remark = effective_vote_rule(title.code, ruleset, org.settings)
            raise DecisionError(
                f"Chưa ghi kết quả biểu quyết: muốn ghi {APPROVED_TEXT} cho "
                f"{title.quoted_name}, hãy nhập số phiếu đồng ý và tổng số thành viên Hội đồng "
                f"(cần {rule.describe()} đồng ý — {rule.basis})."
            )
        result = check_vote(title.code, votes_for, council_total, ruleset, org.settings)
    except EmulationError as exc:
        raise DecisionError(exc.message) from exc
    if not result.passed and not override_given:
        raise DecisionError(_below_threshold_message(title.quoted_name, result))
    return result


def _below_threshold_message(title: str, result: VoteResult) -> str:
    rule = result.threshold
    return (
        f"Không thể ghi {APPROVED_TEXT}: {title} cần {rule.describe()} đồng ý ({rule.basis}); "
        f"kết quả ghi nhận {result.votes_for}/{result.council_total} ({result.percent_text}). "
        "Nếu Hội đồng vẫn giữ kết quả này, hãy ghi lý do giữ kết quả."
    )


def _issued_message(documents: list[Document]) -> str:
    labels = "; ".join(document_label(d) for d in documents)
    which = "văn bản đó sẽ bị" if len(documents) == 1 else "các văn bản đó sẽ bị"
    return (
        f"Kết quả này đã có trong văn bản đã phát hành: {labels}. Muốn thay đổi, hãy ghi lý do "
        f"vào ô “Làm lại” bên dưới rồi ghi kết quả: {which} thu hồi và được thay thế."
    )


def _redo(
    session: Session,
    submission: Submission,
    documents: list[Document],
    reason: str,
    detail: dict[str, Any],
    user_id: int,
) -> tuple[Document, ...]:
    """Withdraw the issued documents naming the submission and audit the redo."""
    documents_detail = {"reason": reason, "documents": [number_label(d) for d in documents]}
    _audit(session, "submission.redo", submission, detail | documents_detail, user_id)
    for document in documents:
        # Read before the withdrawal expires the row (no reload needed for the audit).
        document_id, kind, label = document.id, document.kind, number_label(document)
        summary = document.summary
        try:
            withdraw_document(
                session,
                document,
                user_id=user_id,
                reason=f"Thay thế do làm lại kết quả xét của Hội đồng: {reason}",
            )
        except RegisterError as exc:
            raise DecisionError(exc.message) from exc
        audit.record(
            session,
            "document.replace",
            object_type="document",
            object_id=document_id,
            detail={
                "kind_label": kind_label(kind),
                "number_label": label,
                "summary": summary,
                "reason": reason,
            },
            user_id=user_id,
        )
    return tuple(documents)


def _status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def _write(
    submission: Submission,
    status: SubmissionStatus,
    votes_for: int | None,
    council_total: int | None,
    note: str,
    vote_override: str,
    user_id: int,
) -> None:
    submission.votes_for = votes_for
    submission.council_total = council_total
    submission.status = status.value
    submission.decision_note = nfc(note or "").strip()
    submission.vote_override = vote_override
    submission.decided_by_id = user_id
    submission.decided_at = datetime.now(UTC)


def _detail(
    submission: Submission,
    status: SubmissionStatus,
    votes_for: int | None,
    council_total: int | None,
) -> dict[str, Any]:
    """The audit detail the audit page renders its sentence from: the new result and the
    status it replaces (read before the submission is changed)."""
    return {
        "nominee": submission.nominee_name,
        "title": _title_name(submission.title_code),
        "votes_for": votes_for,
        "council_total": council_total,
        "status_label": _status_label(status),
        "previous_status_label": _status_label(submission.status),
    }


def _title_name(code: str) -> str:
    if not code:
        return ""
    try:
        return get_title(code).name
    except EmulationError:
        return code


def _audit(
    session: Session, action: str, submission: Submission, detail: dict[str, Any], user_id: int
) -> None:
    audit.record(
        session,
        action,
        object_type="submission",
        object_id=submission.id,
        detail=detail,
        organization_id=submission.organization_id,
        user_id=user_id,
    )
