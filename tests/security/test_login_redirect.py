"""After sign-in, `next` leads only to a path on this site; anything else goes to the home
page (never another site, never a 500)."""

import pytest

from views.auth import safe_next

HOSTILE_NEXT = [
    "/%09/evil.example",  # a tab browsers drop: //evil.example
    "/%0a/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%5Cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/ho-so%0d%0aSet-Cookie:%20x=1",  # CR/LF: no header injection, no 500
    "/ho-so%0d",
    "evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_outside_the_site_goes_to_the_home_page(client, world, target):
    response = client.post(
        f"/dang-nhap?next={target}",
        data={"email": "staff@truong.edu.vn", "password": "MatKhau123"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_on_this_site_is_followed(client, world):
    response = client.post(
        "/dang-nhap?next=/ho-so%3Fdot%3D1",
        data={"email": "staff@truong.edu.vn", "password": "MatKhau123"},
    )
    assert response.headers["Location"] == "/ho-so?dot=1"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\\evil", "/a\r\nb", "/a\x7f", "//x"])
def test_safe_next_refuses_control_characters_and_other_hosts(target):
    assert safe_next(target) is None
