"""The request context every service function takes: who is asking, in which scope, with which roles."""

import uuid
from dataclasses import dataclass, field


def new_request_id():
    return f"req-{uuid.uuid4()}"


@dataclass(frozen=True)
class RequestContext:
    user_id: str | None = None
    user_name: str | None = None
    user_domain_id: str | None = None
    project_id: str | None = None
    project_name: str | None = None
    project_domain_id: str | None = None
    domain_id: str | None = None  # set for domain-scoped tokens
    system_scope: str | None = None  # "all" for system-scoped tokens
    roles: tuple = ()
    token_id: str | None = None
    audit_ids: tuple = ()
    methods: tuple = ()
    expires_at: object = None
    application_credential_id: str | None = None
    request_id: str = field(default_factory=new_request_id)
    is_internal: bool = False  # the system itself (bootstrap, workers), not a caller

    @property
    def is_admin(self):
        return self.is_internal or "admin" in self.roles

    def has_role(self, name):
        return name in self.roles

    @property
    def policy_credentials(self):
        return {
            "user_id": self.user_id,
            "project_id": self.project_id,
            "domain_id": self.domain_id,
            "user_domain_id": self.user_domain_id,
            "project_domain_id": self.project_domain_id,
            "system_scope": self.system_scope,
            "roles": list(self.roles),
            "is_admin": self.is_admin,
        }

    @classmethod
    def internal(cls, request_id=None):
        """A context for the system acting on its own behalf (bootstrap, periodic tasks)."""
        return cls(roles=("admin", "member", "reader"), is_internal=True,
                   request_id=request_id or new_request_id())
