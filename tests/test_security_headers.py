"""Django's protections stay on: a strict Content-Security-Policy, no framing, CSRF on forms."""

import pytest


@pytest.mark.django_db
def test_pages_forbid_inline_scripts_styles_and_framing(client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_only_the_api_docs_page_allows_swagger_uis_inline_styles(client):
    policy = client.get("/api/v1/docs/").headers["Content-Security-Policy"]

    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src" not in policy or "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


@pytest.mark.django_db
def test_forms_carry_a_csrf_token(client):
    assert 'name="csrfmiddlewaretoken"' in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/v1/sectors/", "/no-such-page/", "/accounts/login/"])
def test_every_response_denies_camera_microphone_and_location(client, path):
    policy = client.get(path).headers["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
