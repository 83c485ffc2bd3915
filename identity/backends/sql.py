from django.contrib.auth.hashers import check_password, make_password

from identity.models import User


class SqlBackend:
    """Users and passwords in Nebula's own database.

    The interface every identity backend offers (see identity/backends/ldap.py for the other one):
    - writable: whether users, groups and passwords may be created and changed through the API
    - authenticate(domain, name, user, password) -> User row or None
    - sync_users(domain) / sync_groups(domain): bring the shadow rows of an external directory up to
      date before a listing; nothing to do for SQL.
    """

    writable = True

    def authenticate(self, domain, name, user, password):
        if user is None:
            user = User.objects.select_related("domain").filter(domain=domain, name=name).first()
        if user is None:
            # Spend the same time as a real check so names cannot be probed by timing.
            make_password(password)
            return None
        if not user.password or not check_password(password, user.password):
            return None
        return user

    def sync_users(self, domain):
        return None

    def sync_groups(self, domain):
        return None
