"""A browser logged in to the dashboard can use the browsable API with its session's token."""

import pytest

pytestmark = pytest.mark.django_db


def test_dashboard_session_authenticates_the_browsable_api(client, bootstrapped):
    assert client.get("/identity/v3/auth/catalog").status_code == 401
    response = client.post("/dashboard/auth/login/", {"domain": "Default", "username": "demo",
                                                      "password": "demopw"})
    assert response.status_code == 302
    catalog = client.get("/identity/v3/auth/catalog", HTTP_ACCEPT="application/json")
    assert catalog.status_code == 200
    assert any(entry["type"] == "compute" for entry in catalog.json()["catalog"])
    page = client.get("/identity/v3/auth/catalog", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and b"catalog" in page.content


def test_unsafe_methods_from_a_session_need_csrf(bootstrapped):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    login_page = browser.get("/dashboard/auth/login/")
    token = login_page.cookies["csrftoken"].value
    browser.post("/dashboard/auth/login/", {"domain": "Default", "username": "demo", "password": "demopw",
                                            "csrfmiddlewaretoken": token})
    response = browser.delete("/identity/v3/auth/tokens")
    assert response.status_code == 403
