from django.core.management.base import BaseCommand

from identity.fernet import repository


class Command(BaseCommand):
    help = "Create the Fernet key repository if it has no keys (like keystone-manage fernet_setup)."

    def handle(self, *args, **options):
        repo = repository()
        repo.setup()
        self.stdout.write(f"keys in {repo.path}: {repo.key_numbers()}")
