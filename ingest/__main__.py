"""Command line: ``python -m ingest FILE`` prints the extracted JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys

from ingest import IngestError
from ingest import IngestLimits
from ingest import parse_path


def main(argv: list[str] | None = None) -> int:
    """Parse one file and print its JSON; return a non-zero status on bad input."""
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Đọc kế hoạch cấp trên.")
    parser.add_argument("file", help="tệp PDF, DOCX, DOC hoặc TXT")
    parser.add_argument("--no-text", action="store_true", help="bỏ danh sách dòng (text)")
    args = parser.parse_args(argv)
    # VANTHU_OCR_CACHE: a folder where each scanned page's OCR is kept (by the file's hash),
    # so that parsing the same scan again does not OCR it again.
    limits = IngestLimits(ocr_cache_dir=os.environ.get("VANTHU_OCR_CACHE") or None)
    try:
        result = parse_path(args.file, limits=limits)
    except IngestError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug, not bad input: say so plainly, details on demand
        if os.environ.get("VANTHU_DEBUG"):
            raise
        print(
            f"Lỗi nội bộ khi đọc tệp ({type(exc).__name__}); hãy báo cho quản trị.", file=sys.stderr
        )
        return 3
    if args.no_text:
        result.pop("text", None)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
