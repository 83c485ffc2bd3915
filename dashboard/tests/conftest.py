import pytest
from django.test import Client

from core.context import RequestContext
from dashboard.testing import login


@pytest.fixture
def admin_client(bootstrapped):
    client = Client()
    login(client, "admin", "adminpw")
    return client


@pytest.fixture
def demo_client(bootstrapped):
    client = Client()
    login(client, "demo", "demopw")
    return client


@pytest.fixture
def admin_in_demo(bootstrapped):
    """Make admin a member of project demo, through the assignments service."""
    from identity.models import Project, Role, User
    from identity.services import assignments

    ctx = RequestContext.internal()
    admin = User.objects.get(name="admin")
    demo = Project.objects.get(name="demo")
    assignments.grant_role(ctx, Role.objects.get(name="member").id, user_id=admin.id, project_id=demo.id)
    return demo
