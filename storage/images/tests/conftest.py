import pytest
from django.contrib.auth.hashers import make_password

from core.context import RequestContext


@pytest.fixture(autouse=True)
def image_store(settings, tmp_path):
    """Each test writes image data into its own store directory."""
    settings.IMAGE_STORE_DIR = tmp_path / "images"
    return settings.IMAGE_STORE_DIR


def project_ctx(project_id, roles=("member", "reader"), user_id=None):
    return RequestContext(user_id=user_id or f"user-{project_id}", project_id=project_id, roles=tuple(roles))


@pytest.fixture
def alice():
    return project_ctx("project-alice")


@pytest.fixture
def bob():
    return project_ctx("project-bob")


@pytest.fixture
def carol():
    return project_ctx("project-carol")


@pytest.fixture
def admin_ctx():
    return project_ctx("project-admin", roles=("admin", "member", "reader"))


@pytest.fixture
def other_token(bootstrapped, issue_token):
    """A member of a third project ("other"), beside admin and demo."""
    from identity.models import Domain, Project, Role, RoleAssignment, User
    from identity.services.bootstrap import ensure_project_group
    from identity.services.cache import changed

    domain = Domain.objects.get(id="default")
    project = Project.objects.create(name="other", domain=domain)
    ensure_project_group(project)
    user = User.objects.create(name="other", domain=domain, password=make_password("otherpw"),
                               default_project=project)
    RoleAssignment.objects.create(role=Role.objects.get(name="member"), user=user, project=project)
    changed()
    return issue_token("other", "otherpw", "other")
