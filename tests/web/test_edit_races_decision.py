"""A staff edit in flight when the council's result is recorded is refused, not saved over
the decided submission (real database; the clerk's request runs on another thread)."""

from __future__ import annotations

import threading

from sqlalchemy import select

import views.submissions
from storage.models import Submission
from tests.conftest import Auth
from tests.web.test_review import APPROVED_9_OF_9
from tests.web.test_submission_forms import COMMENDATION_OK


def test_staff_edit_saved_after_the_council_approved_fails_and_changes_nothing(
    app, client, auth, world, monkeypatch
):
    auth.login("staff")
    client.post(f"/dot/{world['round']}/khen-thuong", data=COMMENDATION_OK)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        submission_id = session.scalar(select(Submission.id))
    clerk = app.test_client()
    Auth(clerk).login("clerk")
    real_values = views.submissions._single_values
    answers = []

    def approve_meanwhile(kind, form):
        # The staff member's request has checked that the entry is still editable; now
        # the clerk records the council's approval in another request and commits.
        thread = threading.Thread(
            target=lambda: answers.append(
                clerk.post(f"/xet-duyet/{submission_id}/ket-qua", data=APPROVED_9_OF_9)
            )
        )
        thread.start()
        thread.join(timeout=60)
        return real_values(kind, form)

    monkeypatch.setattr(views.submissions, "_single_values", approve_meanwhile)
    edited = COMMENDATION_OK | {"achievements": "Thành tích sửa muộn sau khi đã xét."}
    response = client.post(f"/ho-so/{submission_id}/sua", data=edited)

    assert [a.status_code for a in answers] == [302]
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Hồ sơ vừa được xét" in page
    assert "Thành tích sửa muộn sau khi đã xét." in page  # still on the form, not lost
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        submission = session.get(Submission, submission_id)
        assert submission.status == "approved"
        assert submission.data["achievements"] == COMMENDATION_OK["achievements"]
