"""Letters through a real SMTP server (aiosmtpd): one per event, retried while the server
is down, kept in the outbox without one, reminders and digests made once."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select

from domain.text import fold
from services import decisions
from services import notifications
from storage.models import Deadline
from storage.models import Notification
from storage.models import Organization
from storage.models import Submission
from storage.models import SubmissionKind
from storage.models import User


def _submission(app, world, name="Nguyễn Thị Ánh") -> int:
    with app.extensions["vanthu.db"].session() as session:
        submission = Submission(
            organization_id=world["school"], round_id=world["round"],
            kind=SubmissionKind.EXEMPLARY.value, created_by_id=world["staff"],
            nominee_name=name, unit="Tổ Toán - Tin", title_code="", search_key=fold(name),
            data={}, facts={},
        )  # fmt: skip
        session.add(submission)
        session.flush()
        return submission.id


def _decide(app, world, submission_id: int, status: str, *, commit: bool = True) -> None:
    with app.app_context():
        session = app.extensions["vanthu.db"].sessions()
        try:
            decisions.record_result(
                session,
                session.get(Submission, submission_id),
                org=session.get(Organization, world["school"]),
                votes_for=None,
                council_total=None,
                status=status,
                user_id=world["clerk"],
            )
            session.commit() if commit else session.rollback()
        finally:
            session.close()


def _rows(app) -> list[Notification]:
    with app.extensions["vanthu.db"].session() as session:
        return list(session.scalars(select(Notification).order_by(Notification.id)))


def test_each_review_result_sends_one_letter_to_the_sender(mail_app, mail_server, world):
    submission_id = _submission(mail_app, world)
    _decide(mail_app, world, submission_id, "approved")
    _decide(mail_app, world, submission_id, "approved")  # unchanged: no new event
    _decide(mail_app, world, submission_id, "rejected")  # returned: a second event
    notifications.sweep(mail_app)
    notifications.sweep(mail_app)  # nothing left to send

    rows = _rows(mail_app)
    assert [r.status for r in rows] == ["sent", "sent"]
    assert len(mail_server.messages) == 2
    assert mail_server.message_ids() == [r.message_id for r in rows]
    first, second = mail_server.messages
    assert first["To"] == second["To"] == "staff@truong.edu.vn"
    assert "Được đề nghị / công nhận" in first["Subject"]
    assert "Không được đề nghị" in second["Subject"]
    assert "Nguyễn Thị Ánh" in first.get_content()


def test_a_result_rolled_back_leaves_no_letter(mail_app, mail_server, world):
    submission_id = _submission(mail_app, world)
    _decide(mail_app, world, submission_id, "approved", commit=False)
    notifications.sweep(mail_app)
    assert _rows(mail_app) == [] and mail_server.messages == []


def test_letters_wait_while_the_server_is_down_and_go_once_when_it_is_back(
    mail_app, mail_server, world
):
    submission_id = _submission(mail_app, world)
    mail_server.stop()
    _decide(mail_app, world, submission_id, "approved")
    start = datetime.now(UTC)

    report = notifications.sweep(mail_app, moment=start)
    (row,) = _rows(mail_app)
    assert list(report.outcomes.values()) == ["retry"]
    assert (row.status, row.attempts) == ("pending", 1) and row.error
    retry = mail_app.config["NOTIFY_RETRY_SECONDS"]
    # Not due yet: the next pass leaves it alone.
    assert notifications.sweep(mail_app, moment=start + timedelta(seconds=1)).outcomes == {}
    # Still down when due: tried again, and the wait doubles.
    later = start + timedelta(seconds=retry + 1)
    assert list(notifications.sweep(mail_app, moment=later).outcomes.values()) == ["retry"]
    (row,) = _rows(mail_app)
    assert row.attempts == 2
    assert _aware(row.next_try_at) - datetime.now(UTC) > timedelta(seconds=2 * retry - 5)

    mail_server.start()
    back = datetime.now(UTC) + timedelta(seconds=2 * retry + 1)
    assert list(notifications.sweep(mail_app, moment=back).outcomes.values()) == ["sent"]
    notifications.sweep(mail_app, moment=back + timedelta(hours=2))
    (row,) = _rows(mail_app)
    assert (row.status, row.attempts) == ("sent", 3)
    assert mail_server.message_ids() == [row.message_id]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_a_letter_claimed_by_one_sender_is_not_sent_by_another(mail_app, mail_server, world):
    _decide(mail_app, world, _submission(mail_app, world), "approved")
    (row,) = _rows(mail_app)
    assert notifications.deliver(mail_app, row.id) == "sent"
    assert notifications.deliver(mail_app, row.id) == "not-claimed"
    assert len(mail_server.messages) == 1


def test_without_smtp_host_letters_are_kept_in_the_outbox_the_admin_sees(app, client, auth, world):
    _decide(app, world, _submission(app, world), "approved")
    notifications.sweep(app)
    (row,) = _rows(app)
    assert row.status == "kept"
    auth.login("admin")
    page = client.get("/quan-tri/hop-thu-di").get_data(as_text=True)
    assert "Chưa cấu hình máy chủ thư" in page and row.subject in page
    assert "staff@truong.edu.vn" in page


def test_the_outbox_shows_only_the_admins_own_organization(app, client, auth, world):
    _decide(app, world, _submission(app, world), "approved")
    with app.extensions["vanthu.db"].session() as session:
        other_admin = User(
            organization_id=world["other"], email="other_admin@truong.edu.vn",
            full_name="Quản trị khác", role="admin",
            password_hash=session.get(User, world["admin"]).password_hash,
        )  # fmt: skip
        session.add(other_admin)
    client.post("/dang-nhap", data={"email": "other_admin@truong.edu.vn", "password": "MatKhau123"})
    page = client.get("/quan-tri/hop-thu-di").get_data(as_text=True)
    assert "staff@truong.edu.vn" not in page and "Chưa có thư nào" in page


def test_an_assigned_deadline_is_reminded_once_days_ahead(mail_app, mail_server, world):
    today = date.today()
    with mail_app.extensions["vanthu.db"].session() as session:
        session.add_all(
            [
                Deadline(organization_id=world["school"], what="Nộp báo cáo sơ kết học kỳ I",
                         due_date=today + timedelta(days=2), assignee_id=world["staff2"]),
                Deadline(organization_id=world["school"], what="Nộp kế hoạch năm sau",
                         due_date=today + timedelta(days=20), assignee_id=world["staff2"]),
                Deadline(organization_id=world["school"], what="Việc chưa giao ai",
                         due_date=today + timedelta(days=1)),
            ]
        )  # fmt: skip
    for _ in range(3):  # every worker's sweep makes it: still one letter
        notifications.sweep(mail_app)
    assert len(mail_server.messages) == 1
    (letter,) = mail_server.messages
    assert letter["To"] == "staff2@truong.edu.vn"
    assert "Nộp báo cáo sơ kết học kỳ I" in letter.get_content()


def test_a_digest_user_gets_one_letter_a_day_with_every_event(mail_app, mail_server, world):
    with mail_app.extensions["vanthu.db"].session() as session:
        session.get(User, world["staff"]).notify_digest = True
    _decide(mail_app, world, _submission(mail_app, world, "Nguyễn Thị Ánh"), "approved")
    _decide(mail_app, world, _submission(mail_app, world, "Tổ Toán - Tin"), "rejected")
    notifications.sweep(mail_app)
    assert mail_server.messages == []  # held for the digest
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    notifications.sweep(mail_app, moment=tomorrow)
    notifications.sweep(mail_app, moment=tomorrow + timedelta(minutes=5))
    (digest,) = mail_server.messages
    body = digest.get_content()
    assert "2 thông báo" in digest["Subject"]
    assert "Nguyễn Thị Ánh" in body and "Tổ Toán - Tin" in body
    statuses = sorted(r.status for r in _rows(mail_app))
    assert statuses == ["digested", "digested", "sent"]


def test_a_pass_stops_at_the_first_letter_the_server_does_not_take(mail_app, mail_server, world):
    for name in ("Nguyễn Thị Ánh", "Trần Văn Đức", "Lê Thị Hồng"):
        _decide(mail_app, world, _submission(mail_app, world, name), "approved")
    mail_server.stop()
    report = notifications.sweep(mail_app)
    assert list(report.outcomes.values()) == ["retry"]  # the others wait, untried
    assert sorted(r.attempts for r in _rows(mail_app)) == [0, 0, 1]


def test_handlers_of_an_incoming_document_are_reminded_of_its_deadline_once(
    mail_app, mail_server, world
):
    from services.incoming.entries import EntryData
    from services.incoming.handling import assign
    from services.incoming.registration import register

    today = date.today()
    with mail_app.app_context(), mail_app.extensions["vanthu.db"].session() as session:
        for summary, days, handlers in (
            ("Báo cáo công tác tuyển sinh", 1, [world["staff"], world["staff2"]]),
            ("Kế hoạch năm học sau", 30, [world["staff"]]),
        ):
            entry = register(
                session, organization_id=world["school"], user_id=world["clerk"],
                data=EntryData(received_date=today, issuer="Sở GD&ĐT",
                                        summary=summary, doc_type="Công văn"),
            )  # fmt: skip
            assign(
                session, entry, user_ids=handlers, deadline=today + timedelta(days=days),
                assigned_by_id=world["clerk"],
            )  # fmt: skip
            session.flush()
    for _ in range(2):
        notifications.sweep(mail_app)
    assert sorted(m["To"] for m in mail_server.messages) == [
        "staff2@truong.edu.vn",
        "staff@truong.edu.vn",
    ]
    assert all("Báo cáo công tác tuyển sinh" in m.get_content() for m in mail_server.messages)
