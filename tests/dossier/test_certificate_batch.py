"""A Giấy khen batch rendered once, converted by LibreOffice once and split per person
(issue 15): the merged PDF has one page per certificate, each with its own person's name,
and the .zip one .docx and one PDF per person. Real worker, real LibreOffice, pdfplumber."""

from __future__ import annotations

import io
import zipfile

import pdfplumber
from sqlalchemy import select

from domain.text import nfc
from services.dossier.certificates import queue_certificates
from storage.models import Document
from storage.models import Job
from storage.models import Organization
from storage.models import Round
from storage.models import StoredFile
from tests.dossier.conftest import add_submission
from tests.support import drain_queue

NAMES = [
    "Phạm Quốc Bảo",
    "Nguyễn Thị Ánh",
    "Trần Văn Đức",
    "Lê Thị Hồng",
    "Võ Thị Em",
    "Đặng Minh Khôi",
    "Tổ Toán - Tin",
]


def _page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        texts = []
        for page in opened.pages:
            texts.append(nfc(" ".join((page.extract_text() or "").split())))
            page.close()
        return texts


def _print(app, world) -> dict:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        ids = [
            add_submission(
                session, world, name, "Giáo viên", "Tổ Ngữ văn",
                "collective" if name.startswith("Tổ") else "individual", "GIAY_KHEN", 9,
            ).id
            for name in NAMES
        ]  # fmt: skip
        org = session.get(Organization, world["school"])
        decision = Document(
            organization_id=org.id, created_by_id=world["clerk"], kind="quyet_dinh",
            header_fields={"date": "2026-06-02"}, body_fields={},
        )  # fmt: skip
        session.add(decision)
        session.flush()
        queue_certificates(
            session, app, org=org, round_=session.get(Round, world["round"]),
            dossier_id="d" * 32, user_id=world["clerk"], submission_ids=ids,
            decision_id=decision.id, authority="Hiệu trưởng Trường THCS Mỹ Thạnh",
            org_name="Trường THCS Mỹ Thạnh",
        )  # fmt: skip
    drain_queue(app)
    with app.extensions["vanthu.db"].session() as session:
        job = session.scalar(select(Job).where(Job.function.like("%render_certificates")))
        assert job.status == "done", job.error
        return {
            key: session.get(StoredFile, job.result[key]).content
            for key in ("zip_file_id", "docx_file_id", "pdf_file_id")
        }


def test_one_conversion_split_gives_each_person_their_own_page(app, world) -> None:
    files = _print(app, world)

    texts = _page_texts(files["pdf_file_id"])
    assert len(texts) == len(NAMES)
    for name, text in zip(NAMES, texts, strict=True):
        assert name in text
        assert not [other for other in NAMES if other != name and other in text]

    with zipfile.ZipFile(io.BytesIO(files["zip_file_id"])) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(
            [f"Giấy khen - {name}.{ext}" for name in NAMES for ext in ("docx", "pdf")]
        )
        for name in NAMES:
            [text] = _page_texts(archive.read(f"Giấy khen - {name}.pdf"))
            assert name in text
            assert [n for n in NAMES if n in text] == [name]
            word = zipfile.ZipFile(io.BytesIO(archive.read(f"Giấy khen - {name}.docx")))
            xml = nfc(word.read("word/document.xml").decode("utf-8"))
            assert name in xml and xml.count("<w:sectPr") == 1 and "vanthu:" not in xml
            assert [n for n in NAMES if n in xml] == [name]


def test_the_merged_word_file_has_a_section_per_person_and_no_marks(app, world) -> None:
    files = _print(app, world)

    with zipfile.ZipFile(io.BytesIO(files["docx_file_id"])) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert xml.count("<w:sectPr") == len(NAMES)
    assert "vanthu:" not in xml
    assert [nfc(name) in nfc(xml) for name in NAMES] == [True] * len(NAMES)
