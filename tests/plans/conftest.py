"""Fixtures for the incoming-plan pages: real files, uploads through the web, a real worker."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from storage.models import IncomingDocument
from tests.conftest import make_app
from tests.shared_data import SHARED
from tests.shared_data import corpus_file
from tests.support import drain_queue as work

# The labelled plans (../shared/corpus/dev). Read them with corpus_pdf, which fails under CI
# (skips elsewhere) with the path when a file is missing, rather than a bare FileNotFoundError.
CORPUS = SHARED / "corpus" / "dev"


def corpus_pdf(name: str) -> bytes:
    """The bytes of one labelled plan of ``../shared/corpus/dev`` (tests.shared_data)."""
    return corpus_file("dev", name).read_bytes()


# A short plan as a clerk would paste it (NĐ 30 layout, one yearly and one ranged deadline).
PLAN_TEXT = """SỞ GD&ĐT BÌNH DƯƠNG
PHÒNG GIÁO DỤC VÀ ĐÀO TẠO BẾN CÁT
Số: 15/KH-PGDĐT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bến Cát, ngày 12 tháng 9 năm 2024

KẾ HOẠCH
Tổ chức phong trào thi đua năm học 2024-2025

Căn cứ Kế hoạch số 1509/KH-SGDĐT ngày 24/5/2024 của Sở Giáo dục và Đào tạo về công tác thi đua;
Phòng Giáo dục và Đào tạo xây dựng kế hoạch như sau:
I. NỘI DUNG
Tiếp tục thực hiện phong trào thi đua "Đổi mới, sáng tạo trong quản lý, giảng dạy và học tập".
II. TỔ CHỨC THỰC HIỆN
1. Các trường gửi đăng ký thi đua về Phòng trước ngày 30/9/2024.
2. Từ ngày 15/10/2024 đến ngày 25/10/2024: kiểm tra hồ sơ thi đua tại các trường.
3. Các trường gửi báo cáo sơ kết trước ngày 10/01 hằng năm.

Nơi nhận:
- Các trường THCS;
- Lưu: VT.
TRƯỞNG PHÒNG
Nguyễn Văn Bình
"""


def upload(client, content: bytes, filename: str):
    return client.post(
        "/van-ban-den/tai-len",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def paste(client, text: str = PLAN_TEXT):
    return client.post("/van-ban-den/tai-len", data={"text": text})


def incoming_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    match = re.search(r"/van-ban-den/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def load(app, incoming_id: int) -> IncomingDocument:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        incoming = session.get(IncomingDocument, incoming_id)
        session.expunge(incoming)
        return incoming


def all_incoming(app) -> list[IncomingDocument]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = list(session.scalars(select(IncomingDocument)))
        for row in rows:
            session.expunge(row)
        return rows


@pytest.fixture
def clerk(client, auth, world):
    auth.login("clerk")
    return client


@pytest.fixture
def parsed_text(app, clerk):
    """The pasted PLAN_TEXT, parsed by the worker; returns its id."""
    incoming_id = incoming_id_of(paste(clerk))
    work(app)
    return incoming_id


@pytest.fixture
def limited_app(database_url, redis_url, redis_client):
    """An app whose parser child gets tiny limits, to trigger them for real."""

    def build(**overrides):
        return make_app(database_url, redis_url, **overrides)

    apps = []

    def factory(**overrides):
        apps.append(build(**overrides))
        return apps[-1]

    yield factory
    for item in apps:
        item.extensions["vanthu.db"].dispose()


@pytest.fixture
def schools(app):
    """Four more schools, each with its own clerk: ``[(organization_id, clerk_id)]``."""
    from storage.models import Organization
    from storage.models import Role
    from storage.models import User

    made = []
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        for n in range(1, 5):
            school = Organization(
                name=f"Trường Tiểu học số {n}", abbrev=f"TH{n}", place="Cao Lãnh", settings={}
            )
            session.add(school)
            session.flush()
            clerk = User(
                organization_id=school.id, email=f"vanthu{n}@th{n}.edu.vn",
                full_name=f"Văn thư {n}", role=Role.CLERK.value, password_hash="-",
            )  # fmt: skip
            session.add(clerk)
            session.flush()
            made.append((school.id, clerk.id))
    return made


def upload_as(app, school: tuple[int, int], content: bytes, filename: str) -> tuple[int, str]:
    """Upload ``content`` as the clerk of ``school`` through the service (its parse job
    queued); returns the upload's id and its job's id."""
    from services.plans.uploads import create_incoming
    from storage.uploads import CheckedUpload

    organization_id, clerk_id = school
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        incoming = create_incoming(
            session, app, organization_id=organization_id, user_id=clerk_id,
            upload=CheckedUpload(filename, "text/plain", content),
        )  # fmt: skip
        return incoming.id, incoming.job_id
