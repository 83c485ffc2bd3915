"""Network test fixtures: the network bootstrap on top of the identity one, and a second project."""

import pytest

from core.context import RequestContext


@pytest.fixture
def net_cloud(bootstrapped):
    """Identity + network bootstrap: public (external), demo's private network, subnet and router1."""
    from network import bootstrap

    bootstrap.run(RequestContext.internal(), bootstrapped)
    return bootstrapped


@pytest.fixture
def other_project(bootstrapped):
    """A second project 'other' with a member user 'alice' (password alicepw)."""
    from django.contrib.auth.hashers import make_password

    from identity.models import Domain, Project, Role, RoleAssignment, User
    from identity.services.bootstrap import ensure_project_group
    from identity.services.cache import changed

    domain = Domain.objects.get(id="default")
    project = Project.objects.create(name="other", domain=domain)
    ensure_project_group(project)
    user = User.objects.create(name="alice", domain=domain, password=make_password("alicepw"))
    for role in ("member", "reader"):
        RoleAssignment.objects.create(role=Role.objects.get(name=role, domain__isnull=True), user=user,
                                      project=project)
    changed()
    return project


@pytest.fixture
def other_token(other_project, issue_token):
    return issue_token("alice", "alicepw", "other")


def project_ctx(name, roles=("member", "reader")):
    from identity.models import Project

    project = Project.objects.get(name=name)
    return RequestContext(project_id=project.id, project_name=name, user_id=f"user-{name}", roles=tuple(roles))


@pytest.fixture
def demo_ctx(net_cloud):
    return project_ctx("demo")


@pytest.fixture
def admin_ctx(net_cloud):
    return project_ctx("admin", ("admin", "member", "reader"))
