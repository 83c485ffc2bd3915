from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand

from identity.services.bootstrap import bootstrap, clouds_yaml


class Command(BaseCommand):
    help = "Create (or repair) the region, catalog, default domain, roles, admin and demo; write clouds.yaml."

    def add_arguments(self, parser):
        parser.add_argument("--public-url", default=None, help="URL clients reach this cloud at")
        parser.add_argument("--admin-password", default=None)
        parser.add_argument("--demo-password", default=None)
        parser.add_argument("--clouds-yaml", default=str(Path(settings.BASE_DIR) / "clouds.yaml"),
                            help="where to write clouds.yaml ('' to skip)")

    def handle(self, *args, **options):
        result = bootstrap(public_url=options["public_url"], admin_password=options["admin_password"],
                           demo_password=options["demo_password"])
        if options["clouds_yaml"]:
            path = Path(options["clouds_yaml"])
            path.write_text(yaml.safe_dump(clouds_yaml(result["public_url"], result), sort_keys=False))
            path.chmod(0o600)
            self.stdout.write(f"wrote {path}")
        self.stdout.write(self.style.SUCCESS(f"bootstrapped {result['public_url']}"))
