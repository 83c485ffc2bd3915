from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from core.context import RequestContext
from identity.services.bootstrap import bootstrap, clouds_yaml


def app_bootstrap_hooks():
    """`<app>.bootstrap.run(ctx, result)` of every installed app that has one, identity first."""
    for config in apps.get_app_configs():
        module_name = f"{config.name}.bootstrap"
        if config.name != "identity" and find_spec(config.name) and find_spec(module_name):
            yield import_module(module_name).run


class Command(BaseCommand):
    help = ("Create (or repair) the region, catalog, default domain, roles, admin and demo, then every app's "
            "own first-run state (images, networks, ...); write clouds.yaml. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--public-url", default=None, help="URL clients reach this cloud at")
        parser.add_argument("--admin-password", default=None)
        parser.add_argument("--demo-password", default=None)
        parser.add_argument("--clouds-yaml", default=str(Path(settings.BASE_DIR) / "clouds.yaml"),
                            help="where to write clouds.yaml ('' to skip)")
        parser.add_argument("--identity-only", action="store_true", help="skip the other apps' bootstrap")

    def handle(self, *args, **options):
        result = bootstrap(public_url=options["public_url"], admin_password=options["admin_password"],
                           demo_password=options["demo_password"])
        if options["clouds_yaml"]:
            path = Path(options["clouds_yaml"])
            path.write_text(yaml.safe_dump(clouds_yaml(result["public_url"], result), sort_keys=False))
            path.chmod(0o600)
            self.stdout.write(f"wrote {path}")
        if not options["identity_only"]:
            ctx = RequestContext.internal()
            for hook in app_bootstrap_hooks():
                hook(ctx, result)
        self.stdout.write(self.style.SUCCESS(f"bootstrapped {result['public_url']}"))
