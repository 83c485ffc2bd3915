"""The panel registry: every package dashboard/panels/<slug>/ with a panel.py declaring PANEL.

dashboard/urls.py mounts each discovered panel's urls.py under /dashboard/<group>/<slug>/, the side
navigation lists the panels a caller's roles allow, and DashboardMiddleware refuses (403) a panel's
pages to callers without its role. Panel authors only write their package; nothing central changes.
"""

import importlib
import pkgutil
from dataclasses import dataclass, field

GROUPS = (
    ("project", "Project"),
    ("admin", "Admin"),
    ("identity", "Identity"),
)
GROUP_NAMES = dict(GROUPS)
# A group's default role: the Admin and Identity groups are for cloud admins only.
GROUP_ROLES = {"project": "reader", "admin": "admin", "identity": "admin"}


@dataclass(frozen=True)
class Panel:
    slug: str  # URL segment: /dashboard/<group>/<slug>/
    name: str  # shown in the navigation and the breadcrumbs
    group: str  # "project" | "admin" | "identity"
    order: int = 100  # position inside the group, smaller first
    role: str | None = None  # role needed to see and open the panel; default: the group's role
    urls: str | None = None  # dotted module with urlpatterns; default: dashboard.panels.<package>.urls
    icon: str = "bi-square"  # a name from static/dashboard/icons.svg (see README)
    # Optional "module.function" taking the request and returning overview cards for /dashboard/project/
    # (a list of dicts with "title" and "template", plus any context the template wants).
    overview: str | None = None
    package: str = field(default="", compare=False)

    @property
    def required_role(self):
        return self.role or GROUP_ROLES[self.group]

    @property
    def url_prefix(self):
        return f"/dashboard/{self.group}/{self.slug}/"

    @property
    def urls_module(self):
        return self.urls or f"{self.package}.urls"

    @property
    def group_name(self):
        return GROUP_NAMES[self.group]

    def allowed(self, ctx):
        if ctx is None:
            return False
        if self.group in ("admin", "identity") and not ctx.is_admin:
            return False
        return ctx.has_role(self.required_role) or ctx.is_admin


_panels = None


def discover(force=False):
    """All panels, ordered by group then order then name. Import errors propagate: a broken panel
    must fail loudly at start-up, not vanish from the navigation."""
    global _panels
    if _panels is not None and not force:
        return _panels
    import dashboard.panels as root

    found = []
    for module_info in pkgutil.iter_modules(root.__path__):
        if not module_info.ispkg:
            continue
        package = f"{root.__name__}.{module_info.name}"
        try:
            module = importlib.import_module(f"{package}.panel")
        except ModuleNotFoundError as exc:
            if exc.name == f"{package}.panel":
                continue  # a package without panel.py is not a panel (yet)
            raise
        panel = getattr(module, "PANEL", None)
        if panel is None:
            continue
        if panel.group not in GROUP_NAMES:
            raise ValueError(f"{package}: unknown panel group {panel.group!r}")
        found.append(Panel(**{**panel.__dict__, "package": package}))
    group_order = {g: i for i, (g, _n) in enumerate(GROUPS)}
    found.sort(key=lambda p: (group_order[p.group], p.order, p.name))
    slugs = [(p.group, p.slug) for p in found]
    duplicates = {s for s in slugs if slugs.count(s) > 1}
    if duplicates:
        raise ValueError(f"two panels share a URL: {sorted(duplicates)}")
    _panels = found
    return _panels


def panel_for_path(path):
    """The panel whose URL prefix starts path, or None."""
    for panel in discover():
        if path.startswith(panel.url_prefix):
            return panel
    return None


def navigation(ctx, active=None):
    """[{"slug", "name", "panels": [{"panel", "active"}]}] for the groups the caller may see."""
    groups = []
    for group, name in GROUPS:
        entries = [p for p in discover() if p.group == group and p.allowed(ctx)]
        if group == "project":
            entries = [None, *entries]  # the Overview page heads the Project group
        if not entries:
            continue
        groups.append({"slug": group, "name": name, "panels": entries, "active": bool(
            active and active.group == group)})
    return groups
