"""Every crafted file through the plan upload API and the parser job: a clear Vietnamese
answer on the record (or a refusal at upload), the worker survives the whole batch, and
all earlier data is intact. Also hostile JSON and form payloads on the API."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from storage.models import IncomingDocument
from tests.hostile.payloads import FORM_VALUES
from tests.hostile.payloads import PAYLOADS
from tests.hostile.test_hostile_uploads import VIETNAMESE
from tests.support import drain_queue as _work

pytestmark = pytest.mark.slow

PARSEABLE = [p for p in PAYLOADS if p.pretends in ("pdf", "docx", "doc", "txt")]


def _good_plan(client) -> int:
    from tests.plans.conftest import PLAN_TEXT

    response = client.post("/api/van-ban-den", data={"text": PLAN_TEXT})
    assert response.status_code == 202
    return response.json["id"]


def test_every_hostile_file_ends_with_a_clear_answer_and_the_worker_survives(
    client, auth, app, world, snapshot
):
    auth.login("clerk")
    earlier = _good_plan(client)  # data that must survive everything below
    _work(app)
    before = snapshot()

    answers: dict[str, tuple[int, int | None, str]] = {}
    for payload in PARSEABLE:
        response = client.post(
            "/api/van-ban-den",
            data={"file": (io.BytesIO(payload.build()), payload.filename)},
            content_type="multipart/form-data",
        )
        assert response.status_code in (200, 202, 400, 413), (payload.name, response.status_code)
        body = response.get_json()
        answers[payload.name] = (response.status_code, body.get("id"), body.get("error", ""))
        if response.status_code in (400, 413):
            assert VIETNAMESE.search(body["error"]["message"]), payload.name
    # A good plan after the hostile ones: it must still be read by the same worker run.
    from tests.plans.conftest import PLAN_TEXT

    after = client.post("/api/van-ban-den", data={"text": PLAN_TEXT + "\nPhụ lục."}).json["id"]

    _work(app)  # one burst over every queued upload: a crash would stop the run

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        records = {r.id: r for r in session.scalars(select(IncomingDocument))}
        for name, (status, record_id, _error) in answers.items():
            if status != 202:
                continue
            record = records[record_id]
            assert record.status in ("parsed", "failed"), (name, record.status)
            if record.status == "failed":
                assert VIETNAMESE.search(record.error), (name, record.error)
        assert records[after].status == "parsed"
        assert records[earlier].status == "parsed"
    # The shared parse cache keeps each reading (or refusal) of the bytes, and the fair
    # turns record each organization served.
    before.assert_intact(
        may_grow={"incoming_documents", "incoming_pages", "files", "jobs", "parsed_files",
                  "parsed_pages", "job_turns"}
    )  # fmt: skip
    refused = sorted(n for n, (s, _, _) in answers.items() if s != 202)
    failed = sorted(
        n for n, (s, i, _) in answers.items() if s == 202 and records[i].status == "failed"
    )
    # The obviously broken ones must not be "parsed" into something.
    for name in ("encrypted-pdf", "truncated-pdf", "zero-page-pdf", "two-thousand-pages",
                 "docx-zip-bomb", "elf-renamed-pdf", "empty-pdf"):  # fmt: skip
        assert name in refused + failed, name


@pytest.mark.parametrize("value", list(FORM_VALUES.values()), ids=list(FORM_VALUES))
def test_hostile_pasted_text_is_kept_as_text(client, auth, app, world, value):
    auth.login("clerk")
    response = client.post("/api/van-ban-den", json={"text": value})
    assert response.status_code in (202, 400, 413), response.status_code
    if response.status_code != 202:
        assert VIETNAMESE.search(response.json["error"])
        return
    _work(app)
    detail = client.get(f"/api/van-ban-den/{response.json['id']}").json
    assert detail["status"] in ("parsed", "failed")
    page = client.get(f"/van-ban-den/{response.json['id']}").get_data(as_text=True)
    assert "<script>alert" not in page  # shown escaped, never executed


def test_deeply_nested_json_is_refused_cleanly(client, auth, world):
    auth.login("clerk")
    nested = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/van-ban-den", data=nested, content_type="application/json")
    assert response.status_code in (400, 413)
    assert VIETNAMESE.search(response.get_json()["error"]["message"])
