"""Which hosts a request may consider before any filter: ignore, force and requested hosts.

Nova's host manager does this ahead of the filters: ignored hosts (reschedules, the source of a
migration) are dropped; a forced host or node (admin's `az:host:node`) narrows the list and skips
the filters; a requested host or node narrows the list and the filters still run.
"""

import logging

log = logging.getLogger("nebula.scheduler")


def candidate_hosts(spec, states):
    """Return (states to consider, skip_filters)."""
    if spec.ignore_hosts:
        ignored = {h.lower() for h in spec.ignore_hosts}
        kept = [s for s in states if s.host.lower() not in ignored]
        log.debug("Ignoring hosts %s: %d of %d hosts left", sorted(ignored), len(kept), len(states))
        states = kept
    forced = bool(spec.force_hosts or spec.force_nodes)
    if forced:
        states = _narrow(states, spec.force_hosts, spec.force_nodes)
        if not states:
            log.info("No hosts matched the forced host(s) %s / node(s) %s", spec.force_hosts, spec.force_nodes)
    if spec.requested_host or spec.requested_node:
        states = _narrow(states, [spec.requested_host] if spec.requested_host else [],
                         [spec.requested_node] if spec.requested_node else [])
    return states, forced


def _narrow(states, hosts, nodes):
    hosts = {h.lower() for h in hosts}
    nodes = {n.lower() for n in nodes}
    return [s for s in states
            if (not hosts or s.host.lower() in hosts) and (not nodes or s.nodename.lower() in nodes)]
