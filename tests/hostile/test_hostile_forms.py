"""Hostile form values through the forms, the render job and back to the page: stored and
shown exactly (escaped), rendered into the .docx as text, or refused with a message —
never executed, never a crashed job, never a lost record."""

from __future__ import annotations

import re

import pytest

from domain.text import nfc
from storage.models import Document
from tests.documents.conftest import docx_texts
from tests.documents.conftest import form_data
from tests.documents.conftest import sample
from tests.hostile.payloads import FORM_VALUES
from tests.hostile.test_hostile_uploads import VIETNAMESE
from tests.support import drain_queue as work
from tests.web.test_submission_forms import EXEMPLARY_OK

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _printable(value: str) -> str:
    """What a value may legitimately become: NFC, control characters removed."""
    return CONTROL.sub("", nfc(value))


@pytest.mark.parametrize("value", list(FORM_VALUES.values()), ids=list(FORM_VALUES))
def test_hostile_nomination_text_is_stored_and_shown_escaped(client, auth, world, value):
    auth.login("staff")
    response = client.post(
        f"/dot/{world['round']}/dien-hinh", data=EXEMPLARY_OK | {"achievements": value}
    )
    assert response.status_code in (200, 302, 413)
    html = (
        client.get(response.headers["Location"]).get_data(as_text=True)
        if (response.status_code == 302)
        else response.get_data(as_text=True)
    )
    assert "<script>alert" not in html and "<img src=x" not in html  # escaped, as text
    if response.status_code != 302:
        assert VIETNAMESE.search(html)


@pytest.mark.slow
@pytest.mark.parametrize("value", list(FORM_VALUES.values()), ids=list(FORM_VALUES))
def test_hostile_document_text_renders_as_text_or_is_refused(client, auth, app, world, value):
    auth.login("clerk")
    header, body = sample("cong_van")
    body["noi_dung"] = value
    response = client.post("/van-ban/moi/cong_van", data=form_data("cong_van", header, body))
    if response.status_code != 302:  # refused on the form, with the reason
        assert response.status_code in (200, 400, 413)
        assert VIETNAMESE.search(response.get_data(as_text=True))
        return
    document_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    work(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        assert document.render_status == "done", document.render_error
    texts = "\n".join(docx_texts(client.get(f"/van-ban/{document_id}/tai/docx").data))
    expected = _printable(value).strip()
    # Every line of the value is in the document as literal text (XML and Jinja inert).
    for line in expected.splitlines():
        assert line.strip()[:200] in texts
    page = client.get(f"/van-ban/{document_id}").get_data(as_text=True)
    assert "<script>alert" not in page
