from celery import shared_task

from identity.services import revocation


@shared_task(name="identity.tasks.prune_revocation_events")
def prune_revocation_events():
    return revocation.prune()


@shared_task(name="identity.tasks.sync_ldap_domains")
def sync_ldap_domains():
    from core.context import RequestContext
    from identity.services import domain_configs

    return domain_configs.sync_directories(RequestContext.internal())
