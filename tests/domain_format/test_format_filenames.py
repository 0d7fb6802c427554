"""Names of uploaded files: shown with their Vietnamese letters, never as a path or a disguise."""

import pytest

from domain.text import display_filename


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("Tờ trình đề nghị.docx", "Tờ trình đề nghị.docx"),
        ("Ke\u0302\u0301 hoa\u0323ch.pdf", "Kế hoạch.pdf"),  # NFD from macOS → NFC
        ("../../../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\văn thư\\Quyết định.docx", "Quyết định.docx"),
        ("a\x00b\x07.pdf", "ab.pdf"),
        ("hồ sơ\u202efdp.exe", "hồ sơfdp.exe"),  # right-to-left override removed
        ("   ", "tệp không tên"),
        ("...", "tệp không tên"),
    ],
)
def test_display_filename(given, shown):
    assert display_filename(given) == shown


def test_long_names_keep_their_extension():
    name = display_filename("đ" * 1000 + ".pdf")
    assert len(name) == 255 and name.endswith(".pdf") and name.startswith("đđđ")
