"""Names written inside sentences and file names of certificates."""

from services.dossier import certificate_file_name
from services.dossier import running_name


def test_upper_case_names_read_naturally_inside_a_sentence():
    assert running_name("TRƯỜNG THCS MỸ THẠNH") == "Trường THCS Mỹ Thạnh"
    assert running_name("UBND XÃ MỸ THẠNH") == "Ủy ban nhân dân xã Mỹ Thạnh"
    assert running_name("TRƯỜNG TIỂU HỌC AN BÌNH") == "Trường Tiểu Học An Bình"


def test_names_typed_in_mixed_case_are_kept():
    assert running_name("Trường Mầm non Hoa Sen") == "Trường Mầm non Hoa Sen"


def test_certificate_file_names_keep_vietnamese_and_stay_unique():
    used: set[str] = set()
    assert certificate_file_name("Nguyễn Thị Ánh", used) == "Giấy khen - Nguyễn Thị Ánh.docx"
    assert certificate_file_name("Nguyễn Thị Ánh", used) == "Giấy khen - Nguyễn Thị Ánh (2).docx"
    assert certificate_file_name("Tổ Toán/Tin", used) == "Giấy khen - Tổ Toán Tin.docx"
