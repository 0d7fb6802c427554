"""The review page's eligibility panel is a checklist a clerk reads in seconds (issue 14,
item 5): one ✓ / ✗ / ! / ? line per criterion with a short sentence, the legal prose behind
"chi tiết", and a quota that cannot be known yet says why instead of "tối đa 0 trên 0"."""

import re

from sqlalchemy import select

from storage.models import Organization
from storage.models import Submission

MET = {"rating": "htxs", "discipline": "khong", "months_worked": 12, "absent_days": 0}


def _nominee(app, world, code: str, facts: dict) -> int:
    with app.extensions["vanthu.db"].session() as session:
        submission = Submission(
            organization_id=world["school"], round_id=world["round"], kind="registration",
            created_by_id=world["staff"], nominee_name="Nguyễn Văn An", unit="Tổ Toán - Tin",
            title_code=code, search_key="nguyen van an", facts=facts,
        )  # fmt: skip
        session.add(submission)
        session.flush()
        return submission.id


def _panel(client, submission_id: int) -> str:
    page = client.get(f"/xet-duyet/{submission_id}").get_data(as_text=True)
    return page.split('<ul class="checklist">', 1)[1].split("</ul>", 1)[0]


def _marks(panel: str) -> list[tuple[str, str]]:
    """(mark, criterion) per line of the checklist."""
    found = re.findall(
        r'<span class="mark"[^>]*>(.)</span>\s*<span class="what"><strong>([^<]+)', panel
    )
    return [(mark, label) for mark, label in found]


def test_every_criterion_met_is_a_line_of_ticks_with_the_law_behind_details(
    app, client, auth, world
):
    submission = _nominee(app, world, "CSTDCS", MET)
    auth.login("clerk")
    panel = _panel(client, submission)
    marks = _marks(panel)
    assert marks and all(mark == "✓" for mark, _label in marks), marks
    assert ("✓", "Hoàn thành xuất sắc nhiệm vụ, hoặc có sáng kiến / đề tài") in marks
    assert ("✓", "Xếp loại “Hoàn thành tốt nhiệm vụ” trở lên") in marks
    assert "Không đạt" not in panel and "chưa xác nhận" not in panel


def test_a_failed_and_an_unknown_criterion_say_so_in_one_line_each(app, client, auth, world):
    facts = {  # rated HTT without an initiative or research; absences unknown
        "rating": "htt", "discipline": "khong", "months_worked": 12,
        "initiative_recognised": False, "research_accepted": False,
    }  # fmt: skip
    submission = _nominee(app, world, "CSTDCS", facts)
    auth.login("clerk")
    panel = _panel(client, submission)
    marks = dict((label, mark) for mark, label in _marks(panel))
    assert marks["Hoàn thành xuất sắc nhiệm vụ, hoặc có sáng kiến / đề tài"] == "✗"
    assert marks["Không nghỉ quá số ngày cho phép"] == "?"
    assert marks["Xếp loại “Hoàn thành tốt nhiệm vụ” trở lên"] == "✓"
    assert "Không đạt" in panel and "Chưa có số ngày nghỉ làm việc." in panel
    # The clauses are behind the disclosure, not in the line.
    for line in re.findall(r'<span class="line">([^<]*)</span>', panel):
        assert "Điều" not in line and "Luật" not in line, line
    assert panel.count("<summary>chi tiết</summary>") >= 2
    assert re.search(r"<details><summary>chi tiết</summary>.*Căn cứ: .*Luật", panel, re.S)


def test_quota_before_any_ldtt_is_approved_says_why_it_is_unknown(app, client, auth, world):
    with app.extensions["vanthu.db"].session() as session:
        org = session.get(Organization, world["school"])
        org.settings = {"quotas": {"CSTDCS": {"max_percent": 15}}}
    submission = _nominee(app, world, "CSTDCS", MET)
    auth.login("clerk")
    panel = _panel(client, submission)
    assert ("?", "Trong hạn mức của đơn vị") in _marks(panel)
    assert "tối đa 0 trên 0" not in panel
    assert "Hội đồng chưa thông qua “Lao động tiên tiến” nào" in panel
    with app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(Submission).where(Submission.id == submission)).facts == MET


def test_a_warning_line_leaves_the_rules_standing_to_the_details(app, client, auth, world):
    submission = _nominee(app, world, "LDTT", MET | {"months_worked": 5})
    auth.login("clerk")
    panel = _panel(client, submission)
    assert ("!", "Đủ thời gian công tác trong năm") in _marks(panel)
    line = re.search(r'<span class="line">([^<]*)</span>', panel).group(1)
    assert (
        line.startswith("Thời gian công tác trong năm là 5 tháng") and "chưa xác nhận" not in line
    )
    assert "chưa xác nhận" in panel.split("<summary>chi tiết</summary>", 1)[1]
