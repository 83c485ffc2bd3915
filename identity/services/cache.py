"""The identity service's in-process caches (roles, names, catalog, revocations).

Any write that changes who may do what calls `changed()`; every process then drops these caches.
"""

from core.generations import GenerationCache

identity_cache = GenerationCache("identity")


def changed():
    identity_cache.bump()
