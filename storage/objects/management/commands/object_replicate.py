from django.core.management.base import BaseCommand

from storage.objects import auditor, replicator, services


class Command(BaseCommand):
    help = "Run one object replication pass (with --audit: an audit pass first; --reap: expire objects)."

    def add_arguments(self, parser):
        parser.add_argument("--audit", action="store_true")
        parser.add_argument("--reap", action="store_true")
        parser.add_argument("--devices", default="", help="comma-separated device names (default: all)")

    def handle(self, *args, **options):
        only = {name for name in options["devices"].split(",") if name} or None
        if options["audit"]:
            self.stdout.write(f"audit: {auditor.audit(only=only)}")
        if options["reap"]:
            self.stdout.write(f"reaped: {services.reap_expired()}")
        self.stdout.write(f"replication: {replicator.replicate(only=only)}")
