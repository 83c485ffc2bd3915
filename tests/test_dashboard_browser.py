"""The dashboard in a real browser (headless Debian chromium + Playwright) against the live cloud:
log in as admin, create a project and a user in the Identity panels, give admin a role on demo,
switch project there and back, log out."""

import uuid

import pytest

from core.testing.browser import browser_login
from core.testing.live import ADMIN_PASSWORD

pytestmark = pytest.mark.browser


def _submit_modal(page, fields):
    page.wait_for_selector("#modal.show #modal-content form")
    for selector, value in fields.items():
        element = page.locator(f"#modal-content {selector}")
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(label=value)
        else:
            element.fill(value)
    page.click("#modal-content [data-testid=modal-submit]")


def test_admin_session_in_the_browser(live_cloud, browser_page):
    page = browser_page
    suffix = uuid.uuid4().hex[:6]
    project_name, user_name = f"web-{suffix}", f"alice-{suffix}"

    browser_login(page, live_cloud, "admin", ADMIN_PASSWORD)
    assert page.locator("[data-testid=current-project]").inner_text() == "admin"
    assert page.locator(".nb-nav-group-title", has_text="Identity").count() == 1

    # Create a project in Identity > Projects (a modal form; errors stay in the modal).
    page.click("[data-panel='identity/projects']")
    page.click("[data-action=create]")
    _submit_modal(page, {"input[name=name]": ""})
    page.wait_for_selector("#modal-content .invalid-feedback")
    _submit_modal(page, {"input[name=name]": project_name, "textarea[name=description]": "made in a browser"})
    page.wait_for_selector(f"#table-projects a:text-is('{project_name}')")
    assert f'Project "{project_name}" created.' in page.locator("#messages").inner_text()

    # Batch delete: check a row, the batch button enables, confirm the dialog.
    page.click("[data-action=create]")
    _submit_modal(page, {"input[name=name]": f"tmp-{suffix}"})
    row = page.locator(f"#table-projects tr:has(a:text-is('tmp-{suffix}'))")
    batch_delete = page.locator("#table-projects .nb-batch-action[value='batch:delete']")
    assert batch_delete.is_disabled()
    row.locator("input.nb-select").check()
    assert batch_delete.is_enabled()
    page.once("dialog", lambda dialog: dialog.accept())
    batch_delete.click()
    page.wait_for_selector("text=Deleted 1 project(s).")
    assert page.locator(f"#table-projects a:text-is('tmp-{suffix}')").count() == 0

    # Create a user in Identity > Users, member of the new project.
    page.click("[data-panel='identity/users']")
    page.click("[data-action=create]")
    _submit_modal(page, {"input[name=name]": user_name, "input[name=password]": "pw-123456",
                         "input[name=confirm_password]": "pw-123456", "select[name=default_project_id]": project_name,
                         "select[name=role_id]": "member"})
    page.wait_for_selector(f"#table-users a:text-is('{user_name}')")

    # Give admin the member role on demo from the project's detail page.
    page.click("[data-panel='identity/projects']")
    page.click("#table-projects a:text-is('demo')")
    page.wait_for_selector("text=Project Members")
    page.click("[data-action=add_member]")
    _submit_modal(page, {"select[name=actor]": "admin", "select[name=role_id]": "member"})
    page.wait_for_selector("text=Role assignment added.")

    # Switch to demo with the project switcher: admin is only a member there, so no Identity group.
    page.click("#project-switcher button")
    page.click("#project-switcher [data-project=demo]")
    page.wait_for_selector("[data-testid=current-project]:text-is('demo')")
    assert page.locator(".nb-nav-group-title", has_text="Identity").count() == 0
    page.click("#project-switcher button")
    page.click("#project-switcher [data-project=admin]")
    page.wait_for_selector("[data-testid=current-project]:text-is('admin')")

    # Log out: back at the login page, and the dashboard needs a login again.
    page.click("#user-menu button")
    page.click("#logout-button")
    page.wait_for_selector("#login-button")
    page.goto(f"{live_cloud.url}/dashboard/project/")
    page.wait_for_selector("#login-button")

    # The project and user really exist, as the real CLI sees them.
    assert live_cloud.openstack("project", "show", project_name)["description"] == "made in a browser"
    assert live_cloud.openstack("user", "show", user_name)["name"] == user_name
