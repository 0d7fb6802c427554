"""Command line: ``python -m domain.check FILE.docx [--json] [--allow-academic-titles]``.

Exit status: 0 when no error was found (warnings allowed), 1 when errors were found,
2 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from domain.check import DocxError
from domain.check import Severity
from domain.check import check_docx


def main(argv: list[str] | None = None) -> int:
    """Run the checker on one file and print the findings; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m domain.check",
        description="Kiểm tra thể thức văn bản .docx theo Nghị định 30/2020/NĐ-CP, Phụ lục I.",
    )
    parser.add_argument("file", type=Path, help="tệp .docx cần kiểm tra")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.add_argument(
        "--allow-academic-titles",
        action="store_true",
        help="chấp nhận học hàm, học vị trước họ tên người ký (đơn vị giáo dục được phép)",
    )
    args = parser.parse_args(argv)
    try:
        data = args.file.read_bytes()
        findings = check_docx(data, allow_academic_titles=args.allow_academic_titles)
    except FileNotFoundError:
        return _fail(args.json, f"Không tìm thấy tệp {args.file}.")
    except OSError:
        return _fail(args.json, f"Không đọc được tệp {args.file} (kiểm tra quyền truy cập).")
    except DocxError as exc:
        return _fail(args.json, exc.message)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    if args.json:
        report = {
            "file": str(args.file),
            "errors": errors,
            "warnings": len(findings) - errors,
            "findings": [f.as_dict() for f in findings],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding.as_text())
        print(f"{args.file}: {errors} lỗi, {len(findings) - errors} lưu ý.")
    return 1 if errors else 0


def _fail(as_json: bool, message: str) -> int:
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        print(message, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
