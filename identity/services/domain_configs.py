"""Domain-specific identity configuration (Keystone's /v3/domains/{id}/config): which backend holds a
domain's users and groups ({"identity": {"driver": "sql" | "ldap"}}) and the LDAP options ({"ldap": ...}).

The configuration is one DomainConfig row per domain. Sensitive options (the service bind password)
are stored but never returned, as Keystone does. The Default domain stays SQL: it holds the cloud's
own admin, and pointing it at a directory would lock that admin out.
"""

from django.db import transaction

from core import policy
from core.exceptions import BadRequest, NotFound
from identity.backends.ldap import DEFAULTS as LDAP_DEFAULTS
from identity.backends.ldap import SENSITIVE, InvalidLdapOption, validate_options
from identity.models import Domain, DomainConfig

GROUPS = ("identity", "ldap")
IDENTITY_OPTIONS = {"driver"}
DRIVERS = {"sql", "ldap"}
DEFAULT_CONFIG = {
    "identity": {"driver": "sql"},
    "ldap": {k: v for k, v in LDAP_DEFAULTS.items() if k not in SENSITIVE},
}


def _invalid(reason):
    return BadRequest(f"Invalid domain specific configuration: {reason}.")


def _domain(domain_id):
    domain = Domain.objects.filter(id=domain_id).first()
    if domain is None:
        raise NotFound(f"Could not find domain: {domain_id}.")
    return domain


def _stored(domain):
    row = DomainConfig.objects.filter(domain=domain).first()
    if row is None:
        raise NotFound(f"Could not find Domain config for domain {domain.id}.")
    return row


def _as_config(row, include_sensitive=False):
    config = {"identity": {"driver": row.driver}}
    ldap_options = {k: v for k, v in (row.ldap or {}).items() if include_sensitive or k not in SENSITIVE}
    if ldap_options:
        config["ldap"] = ldap_options
    return config


def _check_group(group):
    if group not in GROUPS:
        raise _invalid(f"group {group} is not supported (only {', '.join(GROUPS)})")


def _validate(config, domain, partial=False):
    """The config with its options normalised; 400 for anything Keystone would refuse."""
    if not isinstance(config, dict) or (not config and not partial):
        raise _invalid("config must be a non-empty object of option groups")
    clean = {}
    for group, options in config.items():
        _check_group(group)
        if not isinstance(options, dict):
            raise _invalid(f"group {group} must be an object of options")
        if group == "identity":
            unknown = set(options) - IDENTITY_OPTIONS
            if unknown:
                raise _invalid(f"unknown identity option {sorted(unknown)[0]!r}")
            if "driver" in options and options["driver"] not in DRIVERS:
                raise _invalid("identity driver must be 'sql' or 'ldap'")
            clean[group] = dict(options)
        else:
            try:
                clean[group] = validate_options(options)
            except InvalidLdapOption as error:
                raise _invalid(str(error)) from None
    return clean


def _check_complete(domain, driver, ldap_options):
    if driver != "ldap":
        return
    if domain.id == Domain.DEFAULT_ID:
        raise _invalid("the Default domain holds the cloud's own users and must stay on the sql driver")
    if not ldap_options.get("url"):
        raise _invalid("an ldap domain needs the ldap option 'url'")


def _save(domain, row, identity, ldap_options):
    driver = (identity or {}).get("driver") or (row.driver if row else "sql")
    _check_complete(domain, driver, ldap_options)
    if row is None:
        row = DomainConfig(domain=domain)
    row.driver = driver
    row.ldap = ldap_options
    row.save()
    return row


def get_config(ctx, domain_id, group=None, option=None):
    policy.enforce(ctx, "identity:get_domain_config", {"domain_id": domain_id})
    config = _as_config(_stored(_domain(domain_id)))
    return _select(config, group, option, f"domain {domain_id}")


def _select(config, group, option, where):
    if group is None:
        return config
    _check_group(group)
    if group not in config:
        raise NotFound(f"Could not find group {group} in the configuration of {where}.")
    if option is None:
        return {group: config[group]}
    if option in SENSITIVE:
        raise NotFound(f"Option {option} in group {group} is sensitive and never returned.")
    if option not in config[group]:
        raise NotFound(f"Could not find option {option} in group {group} of {where}.")
    return {option: config[group][option]}


def create_config(ctx, domain_id, config):
    """PUT: replace the whole configuration. Returns (config, created)."""
    policy.enforce(ctx, "identity:create_domain_config", {"domain_id": domain_id})
    domain = _domain(domain_id)
    clean = _validate(config, domain)
    with transaction.atomic():
        row = DomainConfig.objects.select_for_update().filter(domain=domain).first()
        created = row is None
        if row is not None:
            row.driver = "sql"
        row = _save(domain, row, clean.get("identity") or {"driver": "sql"}, clean.get("ldap", {}))
    return _as_config(row), created


def update_config(ctx, domain_id, config, group=None, option=None):
    """PATCH: merge options into the stored configuration (of one group, or one option)."""
    policy.enforce(ctx, "identity:update_domain_config", {"domain_id": domain_id})
    domain = _domain(domain_id)
    if not isinstance(config, dict) or not config:
        raise _invalid("config must be a non-empty object")
    if option is not None:
        _check_group(group)
        if set(config) != {option}:
            raise _invalid(f"the body must set exactly the option {option} named in the URL")
        config = {group: config}
    elif group is not None:
        _check_group(group)
        if set(config) != {group}:
            raise _invalid(f"the body must hold exactly the group {group} named in the URL")
    clean = _validate(config, domain, partial=True)
    with transaction.atomic():
        row = DomainConfig.objects.select_for_update().filter(domain=domain).first()
        if row is None:
            raise NotFound(f"Could not find Domain config for domain {domain.id}.")
        if option is not None and option not in SENSITIVE and option not in _as_config(row).get(group, {}):
            raise NotFound(f"Could not find option {option} in group {group} of domain {domain.id}.")
        ldap_options = dict(row.ldap or {})
        ldap_options.update(clean.get("ldap", {}))
        row = _save(domain, row, clean.get("identity"), ldap_options)
    return _as_config(row)


def delete_config(ctx, domain_id, group=None, option=None):
    """DELETE: the whole configuration (the domain goes back to SQL), one group, or one option."""
    policy.enforce(ctx, "identity:delete_domain_config", {"domain_id": domain_id})
    domain = _domain(domain_id)
    with transaction.atomic():
        row = DomainConfig.objects.select_for_update().filter(domain=domain).first()
        if row is None:
            raise NotFound(f"Could not find Domain config for domain {domain.id}.")
        if group is None:
            row.delete()
            return
        _check_group(group)
        stored = _as_config(row, include_sensitive=True)
        if group not in stored or (option is not None and option not in stored[group]):
            raise NotFound(f"Could not find {group}{'.' + option if option else ''} in the configuration "
                           f"of domain {domain.id}.")
        if group == "identity":
            # The driver is the identity group's only option: removing it means sql.
            _save(domain, row, {"driver": "sql"}, row.ldap or {})
            return
        ldap_options = {} if option is None else {k: v for k, v in row.ldap.items() if k != option}
        _save(domain, row, None, ldap_options)


def default_config(ctx, group=None, option=None):
    policy.enforce(ctx, "identity:get_domain_config_default", {})
    return _select(DEFAULT_CONFIG, group, option, "the default configuration")



def sync_directories(ctx):
    """Mirror every LDAP domain's users and groups (the periodic task): a user deleted or disabled in
    the directory loses its tokens within one run even if nobody lists the domain. Returns
    {domain_id: "ok" | error message}; one unreachable directory does not stop the others."""
    policy.enforce(ctx, "identity:update_domain_config", {})
    from identity import backends
    from identity.backends.ldap import DirectoryUnavailable

    outcome = {}
    for row in DomainConfig.objects.filter(driver="ldap").select_related("domain"):
        try:
            backends.for_domain(row.domain).sync_groups(row.domain)
            outcome[row.domain_id] = "ok"
        except DirectoryUnavailable as error:
            outcome[row.domain_id] = error.message
    return outcome


def list_domain_backends(ctx):
    """Every domain with where its users live: [{id, name, enabled, driver, url, user_tree_dn, ...}]."""
    policy.enforce(ctx, "identity:get_domain_config", {})
    rows = []
    for domain in Domain.objects.select_related("config").order_by("name"):
        try:
            config = domain.config
        except DomainConfig.DoesNotExist:
            config = None
        ldap_options = (config.ldap or {}) if config else {}
        rows.append({
            "id": domain.id, "name": domain.name, "enabled": domain.enabled,
            "driver": config.driver if config else "sql",
            "url": ldap_options.get("url", "") if config and config.driver == "ldap" else "",
            "user_tree_dn": ldap_options.get("user_tree_dn", ""),
            "group_tree_dn": ldap_options.get("group_tree_dn", ""),
        })
    return rows


def get_ldap_options(ctx, domain_id):
    """The stored LDAP options of a domain without the sensitive ones ({} when it has none), and
    whether a bind password is stored."""
    policy.enforce(ctx, "identity:get_domain_config", {"domain_id": domain_id})
    row = DomainConfig.objects.filter(domain=_domain(domain_id)).first()
    stored = dict(row.ldap or {}) if row else {}
    return {k: v for k, v in stored.items() if k not in SENSITIVE}, bool(stored.get("password"))


def configure_ldap(ctx, domain_id, options, keep_password=True):
    """Point a domain at a directory with these LDAP options (replacing the stored ones); without a
    password in `options` the stored bind password is kept (a form never shows it back)."""
    policy.enforce(ctx, "identity:update_domain_config", {"domain_id": domain_id})
    domain = _domain(domain_id)
    clean = _validate({"identity": {"driver": "ldap"}, "ldap": options}, domain)
    with transaction.atomic():
        row = DomainConfig.objects.select_for_update().filter(domain=domain).first()
        ldap_options = clean["ldap"]
        if keep_password and not ldap_options.get("password") and row is not None and row.ldap.get("password"):
            ldap_options["password"] = row.ldap["password"]
        row = _save(domain, row, {"driver": "ldap"}, ldap_options)
    return _as_config(row)


def sync_directory(ctx, domain_id):
    """Mirror one LDAP domain's users and groups now; returns {"users": n, "groups": m}."""
    policy.enforce(ctx, "identity:update_domain_config", {"domain_id": domain_id})
    domain = _domain(domain_id)
    row = DomainConfig.objects.filter(domain=domain, driver="ldap").first()
    if row is None:
        raise BadRequest(f"Domain {domain.name} does not read an LDAP directory.")
    from identity import backends

    backends.for_domain(domain).sync_groups(domain)
    return {"users": domain.users.exclude(ldap_dn="").count(), "groups": domain.groups.exclude(ldap_dn="").count()}
