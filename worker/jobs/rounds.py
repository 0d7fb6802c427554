"""Jobs about emulation rounds."""

from __future__ import annotations

from typing import Any

from storage.db import get_db
from storage.models import Submission
from worker.errors import JobError
from worker.runner import Progress

__all__ = ["summarise_round"]


def summarise_round(progress: Progress, *, round_id: int) -> dict[str, Any]:
    """Count a round's submissions per kind and status (a small job used by the dashboard)."""
    with get_db().session() as session:
        rows = session.query(Submission.kind, Submission.status).filter_by(round_id=round_id).all()
    if not rows:
        raise JobError("Đợt thi đua chưa có đăng ký nào.")
    counts: dict[str, int] = {}
    for index, (kind, status) in enumerate(rows, start=1):
        key = f"{kind}:{status}"
        counts[key] = counts.get(key, 0) + 1
        if index % 50 == 0:
            progress(index, len(rows))
    progress(len(rows), len(rows), "Đã tổng hợp")
    return {"counts": counts, "total": len(rows)}
