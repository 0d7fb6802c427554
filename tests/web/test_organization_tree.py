"""Organizations as a tree (issue 14, item 4): a Phòng's admin creates its schools with their
first admin and reads their rounds; a school never sees its siblings, a Phòng never another
Phòng's schools, and the organization of a new account is never taken from the form."""

from datetime import date

import pytest
from sqlalchemy import select

from storage.files import save_file
from storage.models import AuditEvent
from storage.models import Document
from storage.models import Organization
from storage.models import Round
from storage.models import Submission
from storage.models import User
from tests.conftest import PASSWORD
from tests.support import school_year_round


def _school(name: str, abbrev: str, key: str) -> dict[str, str]:
    return {
        "name": name, "abbrev": abbrev, "org_kind": "truong_th", "place": "Mỹ Thọ",
        "head_title": "HIỆU TRƯỞNG", "head_name": "Lê Văn Tám",
        "admin_name": f"Quản trị {key}", "admin_email": f"{key}@truong.edu.vn",
        "admin_password": PASSWORD,
    }  # fmt: skip


def _create(client, auth, name: str, abbrev: str, key: str, **extra) -> int:
    auth.login("phong")
    response = client.post("/quan-tri/don-vi/moi", data=_school(name, abbrev, key) | extra)
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _first_sign_in(client, auth, key: str) -> None:
    """A school's first admin signs in with the password the office typed and is made to
    pick their own before any page opens."""
    auth.login(key)
    assert client.get("/quan-tri/").headers["Location"].endswith("/doi-mat-khau")
    own = "TruongToi2026"
    response = client.post(
        "/doi-mat-khau", data={"current_password": PASSWORD, "new_password": own, "confirm": own}
    )
    assert response.status_code == 302


def _round(app, org_id: int) -> int:
    with app.extensions["vanthu.db"].session() as session:
        round_ = school_year_round(org_id)
        session.add(round_)
        session.flush()
        return round_.id


def test_phong_admin_creates_a_school_and_its_first_admin(app, client, auth, tree):
    # A posted organization or parent is ignored: the school goes under the Phòng.
    school_id = _create(
        client, auth, "Trường Tiểu học Mỹ Thọ 1", "THMT1", "hieutruong1",
        parent_id=str(tree["phong2"]), organization_id=str(tree["other"]),
    )  # fmt: skip
    with app.extensions["vanthu.db"].session() as session:
        school = session.get(Organization, school_id)
        phong = session.get(Organization, tree["phong"])
        assert school.parent_id == tree["phong"]
        assert school.name == "TRƯỜNG TIỂU HỌC MỸ THỌ 1"
        assert school.parent_name == phong.name  # the header's cơ quan chủ quản
        assert (school.superior_kind, school.province) == ("phong_gddt", "tỉnh Đồng Tháp")
        assert school.superior_name == "Phòng Giáo dục và Đào tạo huyện Cao Lãnh"
        admin = session.scalar(select(User).where(User.email == "hieutruong1@truong.edu.vn"))
        assert (admin.organization_id, admin.role) == (school_id, "admin")
    _first_sign_in(client, auth, "hieutruong1")  # and runs their own school
    page = client.get("/quan-tri/").get_data(as_text=True)
    assert "TRƯỜNG TIỂU HỌC MỸ THỌ 1" in page
    listing = client.get("/quan-tri/don-vi/")
    assert listing.status_code == 200
    assert client.get("/quan-tri/don-vi/moi").status_code == 403  # a school creates no school
    auth.logout()
    auth.login("phong")
    listing = client.get("/quan-tri/don-vi/").get_data(as_text=True)
    assert "TRƯỜNG TIỂU HỌC MỸ THỌ 1" in listing
    assert "TRƯỜNG THCS TÂN THÀNH" not in listing  # another Phòng's school


def test_a_school_admin_never_sees_a_sibling_nor_its_rounds(app, client, auth, tree):
    first = _create(client, auth, "Trường Tiểu học Mỹ Thọ 1", "THMT1", "hieutruong1")
    second = _create(client, auth, "Trường Tiểu học Mỹ Thọ 2", "THMT2", "hieutruong2")
    sibling_round = _round(app, second)
    _first_sign_in(client, auth, "hieutruong1")
    assert client.get(f"/quan-tri/don-vi/{second}").status_code == 404
    assert client.get(f"/quan-tri/don-vi/{tree['phong']}").status_code == 404  # nor above
    assert client.get(f"/quan-tri/don-vi/{first}").status_code == 404  # itself isn't below
    assert client.get(f"/dot-thi-dua/{sibling_round}/tong-hop").status_code == 404
    assert client.get(f"/dot-thi-dua/{sibling_round}/tong-hop.xlsx").status_code == 404
    assert "Mỹ Thọ 2" not in client.get("/quan-tri/don-vi/").get_data(as_text=True).title()


@pytest.mark.parametrize("reader", ["phong2", "far_admin"])
def test_another_phong_or_its_school_reaches_nothing_of_this_phong(app, client, auth, tree, reader):
    school = _create(client, auth, "Trường Tiểu học Mỹ Thọ 1", "THMT1", "hieutruong1")
    round_id = _round(app, school)
    auth.login(reader)
    assert client.get(f"/quan-tri/don-vi/{school}").status_code == 404
    assert client.get(f"/dot-thi-dua/{round_id}/tong-hop").status_code == 404
    assert client.get(f"/dot-thi-dua/{round_id}/tong-hop.xlsx").status_code == 404
    assert client.post(f"/dot-thi-dua/{round_id}/dong").status_code == 404


def test_phong_admin_reads_a_school_round_but_cannot_change_it(app, client, auth, tree):
    school = _create(client, auth, "Trường Tiểu học Mỹ Thọ 1", "THMT1", "hieutruong1")
    round_id = _round(app, school)
    with app.extensions["vanthu.db"].session() as session:
        admin = session.scalar(select(User).where(User.email == "hieutruong1@truong.edu.vn"))
        session.add(
            Submission(
                organization_id=school,
                round_id=round_id,
                kind="registration",
                created_by_id=admin.id,
                nominee_name="Nguyễn Văn An",
                unit="Tổ 1",
                title_code="LDTT",
                search_key="nguyen van an",
                status="approved",
            )  # fmt: skip
        )
    auth.login("phong")
    detail = client.get(f"/quan-tri/don-vi/{school}").get_data(as_text=True)
    assert f"/dot-thi-dua/{round_id}/tong-hop" in detail
    page = client.get(f"/dot-thi-dua/{round_id}/tong-hop")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "chỉ xem" in text and "Lao động tiên tiến" in text
    assert "Đóng đợt" not in text and "sao-chep" not in text
    assert client.get(f"/dot-thi-dua/{round_id}/tong-hop.xlsx").status_code == 200
    for action in ("dong", "sao-chep", "mo-lai"):
        assert client.post(f"/dot-thi-dua/{round_id}/{action}").status_code == 404
    assert client.post(f"/quan-tri/dot-thi-dua/{round_id}", data={}).status_code == 404
    with app.extensions["vanthu.db"].session() as session:
        assert session.get(Round, round_id).closed_at is None
        assert session.scalar(select(Round).where(Round.organization_id == tree["phong"])) is None


def test_phong_admin_downloads_the_dossier_a_school_sent_up_and_nothing_else(
    app, client, auth, tree
):
    school = _create(client, auth, "Trường Tiểu học Mỹ Thọ 1", "THMT1", "hieutruong1")
    round_id = _round(app, school)
    ids = {}
    with app.extensions["vanthu.db"].session() as session:
        admin = session.scalar(select(User).where(User.email == "hieutruong1@truong.edu.vn"))
        for status in ("issued", "draft"):
            pdf = save_file(
                session, content=b"%PDF-1.4 " + status.encode(), original_name="Tờ trình.pdf",
                mime_type="application/pdf", organization_id=school, created_by_id=admin.id,
            )  # fmt: skip
            document = Document(
                organization_id=school, kind="to_trinh", status=status,
                summary=f"Tờ trình {status}", header_fields={}, body_fields={}, year=2026,
                number=1 if status == "issued" else None, symbol="TTr-THMT1",
                issued_date=date(2026, 6, 5), round_id=round_id, dossier_id="d" * 32,
                pdf_file_id=pdf.id, created_by_id=admin.id,
            )  # fmt: skip
            session.add(document)
            session.flush()
            ids[status] = document.id
    auth.login("phong")
    page = client.get(f"/dot-thi-dua/{round_id}/tong-hop").get_data(as_text=True)
    link = f"/quan-tri/don-vi/{school}/van-ban/{ids['issued']}/pdf"
    assert link in page and "Tờ trình draft" not in page
    response = client.get(link)
    assert response.status_code == 200 and response.data == b"%PDF-1.4 issued"
    assert client.get(f"/quan-tri/don-vi/{school}/van-ban/{ids['draft']}/pdf").status_code == 404
    auth.logout()
    auth.login("phong2")
    assert client.get(link).status_code == 404
    with app.extensions["vanthu.db"].session() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "document.download"))
        assert event.organization_id == tree["phong"]  # in the office's own log
