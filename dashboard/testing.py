"""Test helpers for dashboard views (Django test client)."""


def login(client, username, password, domain="Default"):
    """Log the test client in through the dashboard's login form; returns the login response."""
    response = client.post("/dashboard/auth/login/", {"domain": domain, "username": username, "password": password})
    assert response.status_code == 302, f"login as {username} failed: {response.status_code}"
    return response
