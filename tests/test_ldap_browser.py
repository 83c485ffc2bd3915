"""The dashboard's login form with a directory user: alice (LDAP) logs in and sees her project."""

import uuid

import pytest

from core.testing.browser import browser_login
from core.testing.ldap import configure_live_domain

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def directory(live_cloud, ldap_server):
    """(domain name, project name): alice's group has the member role on the project."""
    project = f"lab-{uuid.uuid4().hex[:6]}"
    return configure_live_domain(live_cloud, ldap_server, project=project), project


def test_directory_user_logs_in_to_the_dashboard(live_cloud, directory, browser_page):
    domain, project = directory
    page = browser_page
    browser_login(page, live_cloud, "alice", "alice-ldap-pw", domain=domain)
    assert page.url.rstrip("/").endswith("/dashboard/project")
    assert page.locator("#user-menu").inner_text().strip().startswith("alice")
    assert project in page.content()  # the overview is scoped to her project


def test_wrong_directory_password_stays_on_the_login_page(live_cloud, directory, browser_page):
    domain, _project = directory
    page = browser_page
    page.goto(f"{live_cloud.url}/dashboard/auth/login/")
    page.fill("#id_domain", domain)
    page.fill("#id_username", "alice")
    page.fill("#id_password", "not-her-password")
    page.click("#login-button")
    page.wait_for_selector("text=Invalid credentials")
    assert "/dashboard/auth/login" in page.url
    assert page.locator("#user-menu").count() == 0
