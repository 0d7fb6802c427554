"""The list of plans from superior bodies shows the clerk's own organization's uploads only."""

from tests.conftest import Auth
from tests.plans.conftest import PLAN_TEXT
from tests.plans.conftest import incoming_id_of
from tests.plans.conftest import upload


def test_another_organizations_plans_never_appear_on_the_list(app, client, auth, world):
    other = app.test_client()
    Auth(other).login("other_clerk")
    theirs = incoming_id_of(upload(other, PLAN_TEXT.encode(), "Kế hoạch của An Bình.txt"))
    auth.login("clerk")
    ours = incoming_id_of(upload(client, PLAN_TEXT.encode(), "Kế hoạch của Mỹ Thạnh.txt"))

    page = client.get("/van-ban-den/").get_data(as_text=True)
    assert "Kế hoạch của Mỹ Thạnh" in page and f"/van-ban-den/{ours}" in page
    assert "An Bình" not in page and f'/van-ban-den/{theirs}"' not in page

    page = other.get("/van-ban-den/").get_data(as_text=True)
    assert "Kế hoạch của An Bình" in page
    assert "Mỹ Thạnh" not in page and f'/van-ban-den/{ours}"' not in page
