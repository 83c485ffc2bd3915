"""Users and groups read from an LDAP directory (read-only); passwords checked by binding as the user.

Nebula keeps a shadow row per directory user and group (User.ldap_dn, Group.ldap_dn) so tokens,
role assignments and group grants work exactly as for SQL users. Shadow rows are written on a
successful login (the user and its group memberships) and by sync_users / sync_groups (everything,
run before the identity API lists a domain's users or groups); rows whose entry vanished are removed.

Options are Keystone's [ldap] section (see DEFAULTS). A directory that cannot be reached, or that
refuses the configured service bind, is a DirectoryUnavailable (503 with a message): a login is
then neither accepted nor answered with a misleading "wrong password".
"""

import hashlib
import logging
import re

import ldap
import ldap.controls
import ldap.dn
import ldap.filter
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from core.exceptions import NebulaError
from identity.models import Group, User
from identity.services import cache, revocation

log = logging.getLogger(__name__)

DEFAULTS = {
    "url": "ldap://localhost",
    "user": "",
    "password": "",
    "suffix": "dc=example,dc=com",
    "query_scope": "sub",
    "page_size": 500,  # paged searches (RFC 2696): directories cap unpaged results (slapd 500, AD 1000)
    "user_tree_dn": "",  # empty: ou=Users,<suffix>
    "user_filter": "",
    "user_objectclass": "inetOrgPerson",
    "user_id_attribute": "uid",
    "user_name_attribute": "uid",
    "user_mail_attribute": "mail",
    "user_description_attribute": "description",
    "user_enabled_attribute": "",  # empty: every directory user is enabled
    "user_enabled_invert": False,
    "user_enabled_mask": 0,
    "user_enabled_default": "True",
    "group_tree_dn": "",  # empty: ou=UserGroups,<suffix>
    "group_filter": "",
    "group_objectclass": "groupOfNames",
    "group_id_attribute": "cn",
    "group_name_attribute": "cn",
    "group_member_attribute": "member",
    "group_members_are_ids": False,
    "group_desc_attribute": "description",
    "use_tls": False,
    "tls_cacertfile": "",
    "tls_req_cert": "demand",
}
# Options never shown back by the configuration API.
SENSITIVE = {"password"}
BOOLEAN_OPTIONS = {"user_enabled_invert", "group_members_are_ids", "use_tls"}
INTEGER_OPTIONS = {"user_enabled_mask", "page_size"}
ATTRIBUTE_OPTIONS = {k for k in DEFAULTS if k.endswith("_attribute") or k.endswith("_objectclass")}
FILTER_OPTIONS = {"user_filter", "group_filter"}
DN_OPTIONS = {"user", "suffix", "user_tree_dn", "group_tree_dn"}
ATTRIBUTE_NAME = re.compile(r"^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)$")
URL_SCHEMES = ("ldap://", "ldaps://", "ldapi://")
TLS_REQ_CERT = {"demand": ldap.OPT_X_TLS_DEMAND, "allow": ldap.OPT_X_TLS_ALLOW, "never": ldap.OPT_X_TLS_NEVER}
TRUE_VALUES = {"true", "1", "yes", "on", "y", "t"}


class DirectoryUnavailable(NebulaError):
    status = 503
    title = "Service Unavailable"


class InvalidLdapOption(ValueError):
    pass


def validate_options(options):
    """The options normalised to their types; InvalidLdapOption names the first bad one."""
    if not isinstance(options, dict):
        raise InvalidLdapOption("the ldap group must be an object")
    clean = {}
    for key, value in options.items():
        if key not in DEFAULTS:
            raise InvalidLdapOption(f"unknown ldap option {key!r}")
        if key in BOOLEAN_OPTIONS:
            if isinstance(value, str) and value.lower() in TRUE_VALUES | {"false", "0", "no", "off", "n", "f"}:
                value = value.lower() in TRUE_VALUES
            if not isinstance(value, bool):
                raise InvalidLdapOption(f"ldap option {key!r} must be a boolean")
        elif key in INTEGER_OPTIONS:
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidLdapOption(f"ldap option {key!r} must be a non-negative integer")
        elif value is None:
            value = ""
        elif not isinstance(value, str):
            raise InvalidLdapOption(f"ldap option {key!r} must be a string")
        if key == "url" and not value.startswith(URL_SCHEMES):
            raise InvalidLdapOption("ldap option 'url' must start with ldap://, ldaps:// or ldapi://")
        if key in ATTRIBUTE_OPTIONS and value and not ATTRIBUTE_NAME.match(value):
            raise InvalidLdapOption(f"ldap option {key!r} must be an attribute or object class name")
        if key in ATTRIBUTE_OPTIONS and not value and key != "user_enabled_attribute":
            raise InvalidLdapOption(f"ldap option {key!r} must not be empty")
        if key in FILTER_OPTIONS and value and not (value.startswith("(") and value.endswith(")")):
            raise InvalidLdapOption(f"ldap option {key!r} must be an LDAP filter in parentheses")
        if key in DN_OPTIONS and value and not ldap.dn.is_dn(value):
            raise InvalidLdapOption(f"ldap option {key!r} must be a distinguished name")
        if key == "query_scope" and value not in ("one", "sub"):
            raise InvalidLdapOption("ldap option 'query_scope' must be 'one' or 'sub'")
        if key == "tls_req_cert" and value not in TLS_REQ_CERT:
            raise InvalidLdapOption("ldap option 'tls_req_cert' must be demand, allow or never")
        clean[key] = value
    return clean


def normalise_dn(dn):
    """DNs compare case- and spacing-insensitively (uid=Alice, ou=Users == uid=alice,ou=users)."""
    try:
        return ldap.dn.dn2str(ldap.dn.str2dn(dn)).lower()
    except ldap.DECODING_ERROR:
        return dn.strip().lower()


def shadow_id(domain_id, kind, local_id):
    """Keystone's id mapping: a stable public id from (domain, kind, the entry's id attribute)."""
    return hashlib.sha256(f"{domain_id}\0{kind}\0{local_id}".encode()).hexdigest()


def _first(attrs, name, prefer=None):
    values = [v.decode("utf-8", "replace") for v in attrs.get(name, []) if v is not None]
    if not values:
        return ""
    if prefer is not None:
        for value in values:
            if value.lower() == prefer.lower():
                return value
    return values[0]


class LdapBackend:
    writable = False

    def __init__(self, config):
        self.options = dict(DEFAULTS)
        self.options.update(config or {})
        suffix = self.options["suffix"]
        self.user_tree_dn = self.options["user_tree_dn"] or f"ou=Users,{suffix}"
        self.group_tree_dn = self.options["group_tree_dn"] or f"ou=UserGroups,{suffix}"
        self.scope = ldap.SCOPE_ONELEVEL if self.options["query_scope"] == "one" else ldap.SCOPE_SUBTREE
        self.timeout = settings.LDAP_TIMEOUT

    # -- connections -----------------------------------------------------------------------
    def _connect(self):
        """A connection bound as the configured service account (anonymous when none is set)."""
        opts = self.options
        try:
            conn = ldap.initialize(opts["url"])
            conn.set_option(ldap.OPT_PROTOCOL_VERSION, 3)
            conn.set_option(ldap.OPT_REFERRALS, 0)
            conn.set_option(ldap.OPT_NETWORK_TIMEOUT, self.timeout)
            conn.set_option(ldap.OPT_TIMEOUT, self.timeout)
            if opts["use_tls"] or opts["url"].startswith("ldaps://"):
                if opts["tls_cacertfile"]:
                    conn.set_option(ldap.OPT_X_TLS_CACERTFILE, opts["tls_cacertfile"])
                conn.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, TLS_REQ_CERT[opts["tls_req_cert"]])
                conn.set_option(ldap.OPT_X_TLS_NEWCTX, 0)
        except ldap.LDAPError as error:
            raise self._unavailable(error) from None
        try:
            if opts["use_tls"] and not opts["url"].startswith("ldaps://"):
                conn.start_tls_s()
            self._service_bind(conn)
        except (ldap.LDAPError, DirectoryUnavailable) as error:
            self._close(conn)
            raise self._unavailable(error) from None
        return conn

    def _service_bind(self, conn):
        try:
            conn.simple_bind_s(self.options["user"] or "", self.options["password"] or "")
        except ldap.INVALID_CREDENTIALS:
            raise DirectoryUnavailable("The identity service's own bind to the LDAP directory was refused; "
                                       "check the domain's ldap user and password.") from None

    def _unavailable(self, error):
        if isinstance(error, DirectoryUnavailable):
            return error
        detail = error.args[0].get("desc", "") if error.args and isinstance(error.args[0], dict) else ""
        log.warning("LDAP directory %s: %s", self.options["url"], error)
        return DirectoryUnavailable(f"The LDAP directory could not be used: {detail or type(error).__name__}.")

    def _search(self, conn, base, filterstr, attrs):
        try:
            if not self.options["page_size"]:
                return [(dn, entry) for dn, entry in conn.search_st(base, self.scope, filterstr, attrs,
                                                                    timeout=self.timeout) if dn]
            return self._paged_search(conn, base, filterstr, attrs)
        except ldap.NO_SUCH_OBJECT:
            raise DirectoryUnavailable(f"The LDAP search base {base} does not exist.") from None
        except ldap.LDAPError as error:
            raise self._unavailable(error) from None

    def _paged_search(self, conn, base, filterstr, attrs):
        # Not critical: a server without paging answers in one go, as an unpaged search.
        control = ldap.controls.SimplePagedResultsControl(False, size=self.options["page_size"], cookie="")
        found = []
        while True:
            msgid = conn.search_ext(base, self.scope, filterstr, attrs, serverctrls=[control])
            _type, entries, _msgid, controls = conn.result3(msgid, timeout=self.timeout)
            found.extend((dn, entry) for dn, entry in entries if dn)
            cookie = next((c.cookie for c in controls
                           if c.controlType == ldap.controls.SimplePagedResultsControl.controlType), b"")
            if not cookie:
                return found
            control.cookie = cookie

    @staticmethod
    def _close(conn):
        try:
            conn.unbind_s()
        except ldap.LDAPError:
            pass

    # -- filters ---------------------------------------------------------------------------
    def _user_filter(self, name=None):
        opts = self.options
        parts = [f"(objectClass={opts['user_objectclass']})"]
        if name is not None:
            parts.append(f"({opts['user_name_attribute']}={ldap.filter.escape_filter_chars(name)})")
        parts.append(opts["user_filter"])
        return "(&" + "".join(parts) + ")"

    def _group_filter(self, member_value=None):
        opts = self.options
        parts = [f"(objectClass={opts['group_objectclass']})"]
        if member_value is not None:
            parts.append(f"({opts['group_member_attribute']}={ldap.filter.escape_filter_chars(member_value)})")
        parts.append(opts["group_filter"])
        return "(&" + "".join(parts) + ")"

    def _user_attrs(self):
        opts = self.options
        attrs = {opts["user_id_attribute"], opts["user_name_attribute"], opts["user_mail_attribute"],
                 opts["user_description_attribute"]}
        if opts["user_enabled_attribute"]:
            attrs.add(opts["user_enabled_attribute"])
        return sorted(attrs)

    def _group_attrs(self, with_members):
        opts = self.options
        attrs = {opts["group_id_attribute"], opts["group_name_attribute"], opts["group_desc_attribute"]}
        if with_members:
            attrs.add(opts["group_member_attribute"])
        return sorted(attrs)

    # -- entries -> shadow fields ----------------------------------------------------------
    def _enabled(self, attrs):
        opts = self.options
        name = opts["user_enabled_attribute"]
        raw = _first(attrs, name) if name else ""
        if not raw:
            raw = str(opts["user_enabled_default"])
        if opts["user_enabled_mask"]:
            try:
                enabled = not (int(raw) & int(opts["user_enabled_mask"]))
            except ValueError:
                enabled = True
        else:
            enabled = raw.strip().lower() in TRUE_VALUES
        return enabled != bool(opts["user_enabled_invert"]) if name else True

    def _user_fields(self, domain, dn, attrs, typed_name=None):
        opts = self.options
        name = _first(attrs, opts["user_name_attribute"], prefer=typed_name)
        local_id = _first(attrs, opts["user_id_attribute"]) or dn
        return {
            "id": shadow_id(domain.id, "user", local_id),
            "name": name,
            "ldap_dn": dn,
            "email": _first(attrs, opts["user_mail_attribute"])[:255],
            "description": _first(attrs, opts["user_description_attribute"]),
            "enabled": self._enabled(attrs),
        }

    def _group_fields(self, domain, dn, attrs):
        opts = self.options
        local_id = _first(attrs, opts["group_id_attribute"]) or dn
        return {
            "id": shadow_id(domain.id, "group", local_id),
            "name": _first(attrs, opts["group_name_attribute"]) or local_id,
            "ldap_dn": dn,
            "description": _first(attrs, opts["group_desc_attribute"]),
        }

    # -- the backend interface -------------------------------------------------------------
    def authenticate(self, domain, name, user, password):
        if not isinstance(password, str) or not password:
            # An LDAP simple bind with a DN and no password is an anonymous bind that "succeeds".
            return None
        if user is not None:
            if user.domain_id != domain.id or not user.ldap_dn:
                return None
            name = user.name
        if not isinstance(name, str) or not name:
            return None
        conn = self._connect()
        try:
            found = self._search(conn, self.user_tree_dn, self._user_filter(name), self._user_attrs())
            if len(found) != 1:
                return None
            dn, attrs = found[0]
            try:
                conn.simple_bind_s(dn, password)
            except (ldap.INVALID_CREDENTIALS, ldap.UNWILLING_TO_PERFORM, ldap.INAPPROPRIATE_AUTH):
                return None
            except ldap.LDAPError as error:
                raise self._unavailable(error) from None
            member_value = (_first(attrs, self.options["user_id_attribute"])
                            if self.options["group_members_are_ids"] else dn)
            try:
                self._service_bind(conn)
            except ldap.LDAPError as error:
                raise self._unavailable(error) from None
            groups = self._search(conn, self.group_tree_dn, self._group_filter(member_value),
                                  self._group_attrs(with_members=False))
        finally:
            self._close(conn)
        with transaction.atomic():
            shadow, changed = self._upsert_user(domain, self._user_fields(domain, dn, attrs, typed_name=name))
            changed |= self._set_user_groups(domain, shadow, [self._group_fields(domain, g_dn, g_attrs)
                                                              for g_dn, g_attrs in groups])
        if changed:
            cache.changed()
        return shadow

    def sync_users(self, domain):
        conn = self._connect()
        try:
            entries = self._search(conn, self.user_tree_dn, self._user_filter(), self._user_attrs())
        finally:
            self._close(conn)
        with transaction.atomic():
            changed = self._sync_user_rows(domain, entries)
        if changed:
            cache.changed()

    def sync_groups(self, domain):
        conn = self._connect()
        try:
            users = self._search(conn, self.user_tree_dn, self._user_filter(), self._user_attrs())
            groups = self._search(conn, self.group_tree_dn, self._group_filter(),
                                  self._group_attrs(with_members=True))
        finally:
            self._close(conn)
        with transaction.atomic():
            changed = self._sync_user_rows(domain, users)
            changed |= self._sync_group_rows(domain, users, groups)
        if changed:
            cache.changed()

    # -- shadow rows -----------------------------------------------------------------------
    def _upsert_user(self, domain, fields):
        shadow = (User.objects.filter(id=fields["id"]).first()
                  or User.objects.filter(domain=domain, name=fields["name"]).first())
        if shadow is None:
            try:
                with transaction.atomic():
                    return User.objects.create(domain=domain, password="", **fields), True
            except IntegrityError:
                # The same user's first login, twice at once: the other request created the row.
                shadow = User.objects.get(id=fields["id"])
        return shadow, self._update(shadow, fields, domain)

    @staticmethod
    def _update(row, fields, domain):
        fields = {k: v for k, v in fields.items() if k != "id"}
        if isinstance(row, User):
            fields["password"] = ""  # a directory user never has a local password
        stale = [k for k, v in fields.items() if getattr(row, k) != v]
        if row.domain_id != domain.id:
            return False
        for key in stale:
            setattr(row, key, fields[key])
        if stale:
            row.save(update_fields=[*stale, "updated_at"])
            if isinstance(row, User) and "enabled" in stale and not row.enabled:
                revocation.revoke(user_id=row.id)
        return bool(stale)

    def _upsert_group(self, domain, fields, existing_by_id=None, existing_by_name=None):
        if existing_by_id is not None:
            group = existing_by_id.get(fields["id"]) or existing_by_name.get(fields["name"])
        else:
            group = (Group.objects.filter(id=fields["id"]).first()
                     or Group.objects.filter(domain=domain, name=fields["name"]).first())
        if group is None:
            try:
                with transaction.atomic():
                    return Group.objects.create(domain=domain, **fields), True
            except IntegrityError:
                group = Group.objects.get(id=fields["id"])
        return group, self._update(group, fields, domain)

    def _set_user_groups(self, domain, shadow, group_fields):
        changed = False
        wanted = set()
        for fields in group_fields:
            group, group_changed = self._upsert_group(domain, fields)
            changed |= group_changed
            wanted.add(group.id)
        Membership = Group.members.through
        current = set(Membership.objects.filter(user=shadow, group__domain=domain)
                      .exclude(group__ldap_dn="").values_list("group_id", flat=True))
        if wanted - current:
            Membership.objects.bulk_create([Membership(group_id=g, user=shadow) for g in wanted - current])
            changed = True
        if current - wanted:
            Membership.objects.filter(user=shadow, group_id__in=current - wanted).delete()
            changed = True
        return changed

    # Compared as plain tuples: a listing re-syncs the whole directory, and building a model instance
    # per unchanged user cost more than the LDAP search itself.
    SYNCED_USER_FIELDS = ("id", "name", "ldap_dn", "email", "description", "enabled", "password")

    def _sync_user_rows(self, domain, entries):
        existing = {row[0]: dict(zip(self.SYNCED_USER_FIELDS, row)) for row in
                    User.objects.filter(domain=domain).values_list(*self.SYNCED_USER_FIELDS)}
        id_by_name = {row["name"]: user_id for user_id, row in existing.items()}
        changed = False
        kept = set()
        new_rows = []
        now = timezone.now()
        for dn, attrs in entries:
            fields = self._user_fields(domain, dn, attrs)
            if not fields["name"]:
                continue
            user_id = fields["id"] if fields["id"] in existing else id_by_name.get(fields["name"])
            if user_id is None:
                row = User(domain=domain, password="", **fields)
                new_rows.append(row)
                existing[row.id] = {"name": row.name}
                id_by_name[row.name] = row.id
                kept.add(row.id)
                continue
            if user_id in kept:
                continue  # the directory holds two entries of one name; the first wins
            kept.add(user_id)
            current = existing[user_id]
            wanted = {k: v for k, v in fields.items() if k != "id"}
            wanted["password"] = ""
            stale = {k: v for k, v in wanted.items() if current.get(k) != v}
            if stale:
                User.objects.filter(id=user_id).update(**stale, updated_at=now)
                changed = True
                if stale.get("enabled") is False:
                    revocation.revoke(user_id=user_id)
        if new_rows:
            User.objects.bulk_create(new_rows, batch_size=500)
            changed = True
        vanished = [user_id for user_id, row in existing.items() if row.get("ldap_dn") and user_id not in kept]
        for user_id in vanished:
            changed = True
            # Shadow ids are stable: a user re-created later must not revive the old tokens.
            revocation.revoke(user_id=user_id)
            try:
                User.objects.filter(id=user_id).delete()
            except ProtectedError:
                # Something elsewhere still points at the user; keep the row but shut it out.
                User.objects.filter(id=user_id).update(enabled=False, updated_at=now)
        return changed

    def _sync_group_rows(self, domain, users, groups):
        opts = self.options
        existing = list(Group.objects.filter(domain=domain))
        by_id = {g.id: g for g in existing}
        by_name = {g.name: g for g in existing}
        shadow_users = User.objects.filter(domain=domain).exclude(ldap_dn="").values_list("id", "ldap_dn")
        user_by_dn = {normalise_dn(dn): uid for uid, dn in shadow_users}
        user_by_local_id = {}
        if opts["group_members_are_ids"]:
            for dn, attrs in users:
                local_id = _first(attrs, opts["user_id_attribute"])
                if local_id and normalise_dn(dn) in user_by_dn:
                    user_by_local_id[local_id] = user_by_dn[normalise_dn(dn)]
        changed = False
        wanted = set()
        kept = set()
        for dn, attrs in groups:
            group, group_changed = self._upsert_group(domain, self._group_fields(domain, dn, attrs), by_id, by_name)
            by_id[group.id] = by_name[group.name] = group
            changed |= group_changed
            kept.add(group.id)
            for raw in attrs.get(opts["group_member_attribute"], []):
                value = raw.decode("utf-8", "replace")
                user_id = (user_by_local_id.get(value) if opts["group_members_are_ids"]
                           else user_by_dn.get(normalise_dn(value)))
                if user_id:
                    wanted.add((group.id, user_id))
        Membership = Group.members.through
        current_rows = Membership.objects.filter(group__domain=domain).exclude(group__ldap_dn="")
        current = set(current_rows.values_list("group_id", "user_id"))
        if wanted - current:
            Membership.objects.bulk_create([Membership(group_id=g, user_id=u) for g, u in wanted - current])
            changed = True
        for group_id, user_id in current - wanted:
            Membership.objects.filter(group_id=group_id, user_id=user_id).delete()
            changed = True
        vanished = [g for g in existing if g.ldap_dn and g.id not in kept]
        if vanished:
            Group.objects.filter(id__in=[g.id for g in vanished]).delete()
            changed = True
        return changed
