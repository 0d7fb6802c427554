"""The OpenAPI description served by the app matches the app's /api/ routes and is valid."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

METHODS = {"get", "post", "put", "patch", "delete"}


def _app_operations(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((path, method.lower()))
    return found


def test_openapi_is_served_without_authentication(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json()["openapi"].startswith("3.")


def test_every_api_route_is_documented_and_nothing_else(app, client):
    document = client.get("/api/openapi.json").get_json()
    documented = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }
    assert sorted(_app_operations(app) - documented) == []  # a route nobody documented
    assert sorted(documented - _app_operations(app)) == []  # a documented path that is gone


def test_openapi_document_is_valid(client):
    validate(client.get("/api/openapi.json").get_json())


def test_documented_path_parameters_match_the_routes(client):
    document = client.get("/api/openapi.json").get_json()
    for path, item in document["paths"].items():
        names = set(re.findall(r"{([a-z_]+)}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, (path, method)
