"""Where a domain's users come from: the database (sql) or an LDAP directory (ldap)."""

from identity.backends.sql import SqlBackend

_sql = SqlBackend()


def for_domain(domain):
    config = getattr(domain, "config", None) if _has_config(domain) else None
    if config is not None and config.driver == "ldap":
        from identity.backends.ldap import LdapBackend

        return LdapBackend(config.ldap)
    return _sql


def _has_config(domain):
    from identity.models import DomainConfig

    try:
        domain.config
    except DomainConfig.DoesNotExist:
        return False
    return True
