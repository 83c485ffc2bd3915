from django.contrib.auth.hashers import check_password, make_password

from identity.models import User


class SqlBackend:
    """Users and passwords in Nebula's own database."""

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
