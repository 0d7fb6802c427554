"""Every input format goes through the same pipeline; type is told by content."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import parse_bytes
from ingest import parse_path
from ingest.errors import IngestError
from tests.ingest.conftest import build_docx
from tests.ingest.conftest import load_labels

ROOT = Path(__file__).resolve().parents[2]

PLAN_DOCX = dict(
    header_left=["PHÒNG GD&ĐT BẾN CÁT", "TRƯỜNG THCS MỸ THẠNH", "Số: 12/KH-THCSMT"],
    header_right=[
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Mỹ Phước, ngày 05 tháng 9 năm 2025",
    ],
    body=[
        "KẾ HOẠCH",
        "Tổ chức phong trào thi đua năm học 2025-2026",
        "Căn cứ Kế hoạch số 08/KH-PGDĐT ngày 28/8/2025 của Phòng GD&ĐT;",
        "- Tháng 10/2025: Hội thi giáo viên dạy giỏi cấp trường.",
    ],
    closing_left=["Nơi nhận:", "- Các tổ;", "- Lưu: VT."],
    closing_right=["HIỆU TRƯỞNG", "", "Nguyễn Văn Giàu"],
)


def _summary(result: dict) -> dict:
    keys = ("doc_type", "number", "symbol", "issuer", "parent_issuer", "place", "issued_date",
            "title", "period", "recipients", "signer_title", "signer_name")  # fmt: skip
    out = {k: result[k] for k in keys}
    out["references"] = [r["number"] for r in result["references"]]
    out["deadlines"] = [d["date"] for d in result["deadlines"]]
    return out


EXPECTED = {
    "doc_type": "KH",
    "number": "12",
    "symbol": "KH-THCSMT",
    "issuer": "TRƯỜNG THCS MỸ THẠNH",
    "parent_issuer": "PHÒNG GD&ĐT BẾN CÁT",
    "place": "Mỹ Phước",
    "issued_date": "2025-09-05",
    "title": "Tổ chức phong trào thi đua năm học 2025-2026",
    "period": "2025-2026",
    "recipients": ["Các tổ", "Lưu: VT"],
    "signer_title": "HIỆU TRƯỞNG",
    "signer_name": "Nguyễn Văn Giàu",
    "references": ["08/KH-PGDĐT"],
    "deadlines": ["2025-10-31"],
}


def test_formats_docx_with_header_table() -> None:
    result = parse_bytes(build_docx(**PLAN_DOCX), "ke-hoach.docx")
    assert result["kind"] == "docx"
    assert _summary(result) == EXPECTED


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_formats_legacy_doc_converted_with_libreoffice(tmp_path: Path) -> None:
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(build_docx(**PLAN_DOCX))
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    data = (tmp_path / "ke-hoach.doc").read_bytes()
    result = parse_bytes(data, "ke-hoach.doc")
    assert result["kind"] == "doc"
    assert _summary(result) == EXPECTED


def test_formats_type_comes_from_content_not_name(corpus) -> None:
    text = (corpus / "seed-002.txt").read_bytes()
    pdf = (corpus / "seed-002.clean.pdf").read_bytes()
    assert parse_bytes(text, "ke-hoach.pdf")["kind"] == "txt"
    assert parse_bytes(pdf, "ke-hoach.txt")["kind"] == "pdf"


def test_formats_progress_reports_every_page(corpus) -> None:
    calls: list[tuple[int, int]] = []
    result = parse_path(
        corpus / "seed-003.clean.pdf", on_progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(n, result["pages"]) for n in range(1, result["pages"] + 1)]


def test_formats_result_is_nfc_and_has_extra_keys(corpus) -> None:
    result = parse_path(corpus / "seed-002.clean.pdf")
    assert (result["pages"], result["ocr"], result["encoding"]) == (8, False, "unicode")
    dumped = json.dumps(result, ensure_ascii=False)
    import unicodedata

    assert unicodedata.is_normalized("NFC", dumped)


def test_formats_missing_path_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        parse_path(tmp_path / "khong-co.pdf")
    assert "Không tìm thấy tệp" in caught.value.message


def test_formats_cli_prints_json(corpus) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ingest", str(corpus / "seed-002.txt")],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout)
    assert result["place"] == load_labels("seed-002")["labels"]["place"]
    assert "Ninh Bình" in done.stdout  # ensure_ascii=False


def test_formats_scan_without_tesseract_says_so(corpus, tmp_path: Path) -> None:
    # A real environment without Tesseract on PATH, not a mock.
    env = dict(os.environ, PATH=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "ingest", str(corpus / "seed-003.scan.pdf")],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "Tesseract" in done.stderr and "tiếng Việt" in done.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_formats_scanned_pdf_is_read_with_ocr(corpus) -> None:
    labels = load_labels("seed-000")["labels"]
    result = parse_path(corpus / "seed-000.scan.pdf")
    assert result["ocr"] is True
    for key in ("symbol", "issuer", "parent_issuer", "place", "signer_name"):
        assert result[key] == labels[key], key
    header = [x["text"] for x in result["text"] if x["zone"] == "header"]
    assert header[:3] == ["PHÒNG GD&ĐT BẾN CÁT", "TRƯỜNG THCS MỸ THẠNH", "Số: /KH-THCSMT"]
    assert {d["date"][5:] for d in result["deadlines"]} == {"03-10", "05-10", "09-10", "12-10"}


TCVN3_DOCX = dict(
    header_left=["PHßNG GD&§T BÕN C¸T", "TR¦êNG THCS Mü TH¹NH", "Sè: 12/KH-THCSMT"],
    header_right=["CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM", "§éc lËp - Tù do - H¹nh phóc",
                  "Mü Ph\u00adíc, ngµy 05 th¸ng 9 n¨m 2025"],
    body=["KÕ HO¹CH", "Tæ chøc phong trµo thi ®ua n¨m häc 2025-2026",
          "C¨n cø KÕ ho¹ch sè 08/KH-PGD§T ngµy 28/8/2025 cña Phßng GD&§T;"],
    closing_left=["N¬i nhËn:", "- C¸c tæ;", "- L\u00adu: VT."],
    closing_right=["HIÖU TR¦ëNG", "", "NguyÔn V¨n Giµu"],
)  # fmt: skip


def _check_tcvn3(result: dict, soft_hyphen: bool = True) -> None:
    assert result["encoding"] == "tcvn3"
    assert (result["issuer"], result["parent_issuer"]) == (
        "TRƯỜNG THCS MỸ THẠNH",
        "PHÒNG GD&ĐT BẾN CÁT",
    )
    # LibreOffice does not draw U+00AD (TCVN3 "ư") when it prints to PDF, so that letter is
    # absent from its PDFs; PDFs printed with a real .VnTime font keep it.
    place = "Mỹ Phước" if soft_hyphen else "Mỹ Phớc"
    assert (result["place"], result["issued_date"]) == (place, "2025-09-05")
    assert result["title"] == "Tổ chức phong trào thi đua năm học 2025-2026"
    assert [r["number"] for r in result["references"]] == ["08/KH-PGDĐT"]
    assert (result["signer_title"], result["signer_name"]) == ("HIỆU TRƯỞNG", "Nguyễn Văn Giàu")
    assert result["recipients"] == ["Các tổ", "Lưu: VT" if soft_hyphen else "Lu: VT"]


def test_formats_tcvn3_docx_is_converted() -> None:
    _check_tcvn3(parse_bytes(build_docx(**TCVN3_DOCX), "cu.docx"))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_formats_tcvn3_pdf_is_converted(tmp_path: Path) -> None:
    source = tmp_path / "cu.docx"
    source.write_bytes(build_docx(**TCVN3_DOCX))
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    _check_tcvn3(parse_path(tmp_path / "cu.pdf"), soft_hyphen=False)


def test_the_page_image_child_does_not_load_the_parser():
    # The web starts a fresh child for a page's first image: loading the whole parser there
    # took about half of its time.
    probe = (
        "import sys, ingest.page_images; "
        "print(sorted(m for m in sys.modules if m.startswith('ingest')))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout
    assert "ingest.extract" not in shown and "ingest.pipeline" not in shown, shown
    assert "ingest.page_images" in shown
