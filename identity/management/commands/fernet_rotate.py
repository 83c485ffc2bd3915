from django.core.management.base import BaseCommand

from identity.fernet import repository


class Command(BaseCommand):
    help = ("Rotate Fernet keys (like keystone-manage fernet_rotate): the staged key becomes primary, "
            "a new staged key is made, keys beyond NEBULA_FERNET_MAX_ACTIVE_KEYS are removed.")

    def handle(self, *args, **options):
        repo = repository()
        primary = repo.rotate()
        self.stdout.write(f"primary key is now {primary}; keys: {repo.key_numbers()}")
