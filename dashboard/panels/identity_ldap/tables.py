from django.urls import reverse

from dashboard import tables
from identity.services import domain_configs


def _is_ldap(request, row):
    return row is None or row["driver"] == "ldap"


class SyncNow(tables.PostAction):
    """Mirror the directory's users and groups now instead of at the next listing or beat run."""

    success = "Synchronised {count} domain(s) with their directory."
    failure = "Unable to synchronise {name}: {error}"

    def __init__(self):
        super().__init__("sync", "Sync Now", icon="bi-arrow-repeat", classes="btn-outline-secondary",
                         allowed=_is_ldap)

    def handle(self, request, object_id):
        domain_configs.sync_directory(request.ctx, object_id)


class UseSql(tables.PostAction):
    success = "{count} domain(s) back on the SQL backend."
    failure = "Unable to change {name}: {error}"

    def __init__(self):
        super().__init__("use-sql", "Stop Using LDAP", icon="bi-database", allowed=_is_ldap,
                         confirm="Stop reading this domain's users from LDAP? Directory users can no longer log in.")

    def handle(self, request, object_id):
        domain_configs.delete_config(request.ctx, object_id)


class DomainBackendsTable(tables.Table):
    name = "ldap-domains"
    columns = [
        tables.Column("name", label="Domain"),
        tables.Column("driver", label="Users from", display=lambda v: "LDAP" if v == "ldap" else "SQL"),
        tables.Column("url", label="Directory", sortable=False, classes="font-monospace small"),
        tables.Column("user_tree_dn", label="Users under", sortable=False, classes="small"),
        tables.BooleanColumn("enabled"),
    ]
    filter_fields = ["name", "url"]
    default_sort = "name"
    empty_message = "No domains."
    row_actions = [
        tables.ModalAction("configure", "Configure LDAP", icon="bi-gear",
                           url=lambda row: reverse("dashboard:identity:ldap:configure", args=[row["id"]]),
                           allowed=lambda request, row: row is None or row["id"] != "default"),
        SyncNow(),
        UseSql(),
    ]
