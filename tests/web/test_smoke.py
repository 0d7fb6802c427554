def test_login_page_renders_in_vietnamese(client):
    response = client.get("/dang-nhap")
    assert response.status_code == 200
    assert "Đăng nhập" in response.get_data(as_text=True)


def test_staff_sees_open_round_after_login(client, auth, world):
    auth.login("staff")
    page = client.get("/").get_data(as_text=True)
    assert "Năm học 2025-2026" in page
    assert "Đăng ký danh hiệu thi đua" in page
