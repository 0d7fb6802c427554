"""Helpers shared by the test packages (fixtures stay in the conftest files)."""

from __future__ import annotations

import io
import socket
from datetime import date

from flask import Flask
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from outbox.connection import get_queues
from outbox.connection import get_redis
from storage.models import Document
from storage.models import Round


def drain_queue(app: Flask) -> None:
    """Run every queued job with a real RQ SimpleWorker in burst mode — the worker class
    ``python -m worker`` runs, on its queues in its order — on the app's real Redis."""
    with app.app_context():
        SimpleWorker(get_queues(app), connection=get_redis(app), serializer=JSONSerializer).work(
            burst=True
        )


def raw_pdf(objects: list[bytes], *, header: bytes = b"%PDF-1.4\n", root: int = 1) -> bytes:
    """A PDF assembled by hand from object bodies (numbered from 1) with a correct xref, so
    that parsers reach whatever the objects hold, including hostile ones."""
    out = io.BytesIO()
    out.write(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def school_year_round(organization_id: int) -> Round:
    """A round of the school year 2025-2026 (windows in the past), not added to a session."""
    return Round(
        organization_id=organization_id, name="Năm học 2025-2026", school_year="2025-2026",
        reference_date=date(2026, 5, 31), ruleset_id="ND152_2025",
        registration_opens=date(2025, 9, 1), registration_closes=date(2025, 10, 1),
        nomination_opens=date(2026, 5, 1), nomination_closes=date(2026, 6, 1),
    )  # fmt: skip


def issued_plans(texts: list[str]) -> list[Document]:
    """Issued Kế hoạch numbered 1, 2, … whose trích yếu and signer are ``texts`` (what a user
    typed), for the register exports' tests."""
    return [
        Document(
            kind="ke_hoach",
            number=index,
            symbol="KH-THCSMT",
            summary=text,
            status="issued",
            issued_date=date(2026, 2, 10),
            header_fields={"signer_name": text},
        )  # fmt: skip
        for index, text in enumerate(texts, start=1)
    ]
