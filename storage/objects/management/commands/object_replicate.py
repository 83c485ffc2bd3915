from django.core.management.base import BaseCommand

from storage.objects import auditor, replicator, services


class Command(BaseCommand):
    help = "Run one object replication pass (with --audit: an audit pass first; --reap: expire objects)."

    def add_arguments(self, parser):
        parser.add_argument("--audit", action="store_true")
        parser.add_argument("--reap", action="store_true")

    def handle(self, *args, **options):
        if options["audit"]:
            self.stdout.write(f"audit: {auditor.audit()}")
        if options["reap"]:
            self.stdout.write(f"reaped: {services.reap_expired()}")
        self.stdout.write(f"replication: {replicator.replicate()}")
