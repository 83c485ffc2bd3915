"""Plugins are found by name: a class name searched in the plugin package, or a dotted path."""

import importlib
import inspect
import pkgutil
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@lru_cache(maxsize=None)
def _plugins_in_package(package, base):
    """Every subclass of `base` defined in the modules of `package`, by class name."""
    found = {}
    pkg = importlib.import_module(package)
    for module_info in pkgutil.iter_modules(pkg.__path__):
        if module_info.name.startswith("_") or module_info.name == "tests":
            continue
        module = importlib.import_module(f"{package}.{module_info.name}")
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, base) and obj is not base and obj.__module__ == module.__name__:
                found[name] = obj
    return found


def load_plugin_class(name, package, base):
    if "." in name:
        try:
            cls = import_string(name)
        except ImportError as exc:
            raise ImproperlyConfigured(f"cannot import scheduler plugin {name!r}: {exc}") from exc
    else:
        cls = _plugins_in_package(package, base).get(name)
        if cls is None:
            known = ", ".join(sorted(_plugins_in_package(package, base))) or "none"
            raise ImproperlyConfigured(f"unknown scheduler plugin {name!r} in {package} (known: {known})")
    if not (inspect.isclass(cls) and issubclass(cls, base)):
        raise ImproperlyConfigured(f"scheduler plugin {name!r} is not a {base.__name__}")
    return cls


def load_plugins(names, package, base, **kwargs):
    """Instantiate the plugins listed by name (in order), searched in `package`."""
    return [load_plugin_class(name, package, base)(**kwargs) for name in names]
