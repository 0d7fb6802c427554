"""An issue date must fall in a year a register can be kept for (2000 … next year):
01/01/0001 from a bare date field is refused with a Vietnamese message, nothing numbered."""

from datetime import date

import pytest

from services.register import RegisterError
from services.register import check_issue_date
from storage.models import Document


@pytest.mark.parametrize("issued_on", ["0001-01-01", "1999-12-31", "0999-05-05"])
def test_an_issue_date_before_2000_is_refused(app, clerk, make_draft, issued_on):
    document_id = make_draft()
    response = clerk.post(f"/van-ban/{document_id}/phat-hanh", data={"issued_on": issued_on})
    assert response.status_code == 400
    assert "không hợp lệ" in response.get_data(as_text=True)  # "… năm phải từ 2000 …"
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        assert (document.status, document.number, document.year) == ("draft", None, None)


def test_the_first_day_of_2000_is_a_valid_issue_date(app, clerk, make_draft):
    document_id = make_draft()
    response = clerk.post(f"/van-ban/{document_id}/phat-hanh", data={"issued_on": "2000-01-01"})
    assert response.status_code == 302
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(Document, document_id).year == 2000


def test_the_register_refuses_years_after_next_year():
    today = date(2026, 12, 7)
    check_issue_date(date(2027, 12, 31), today=today)
    with pytest.raises(RegisterError, match="năm phải từ 2000 đến 2027"):
        check_issue_date(date(2028, 1, 1), today=today)
