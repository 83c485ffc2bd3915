"""Settings for the test run: the production settings with a fast password hasher and a scratch state dir."""

import os
import tempfile

os.environ.setdefault("NEBULA_STATE_DIR", tempfile.mkdtemp(prefix="nebula-test-"))
os.environ.setdefault("NEBULA_PASSWORD_HASHERS", "django.contrib.auth.hashers.MD5PasswordHasher")

from cloud.settings import *  # noqa: E402,F401,F403

# Tests change state and read it back at once in one process.
REVOCATION_CHECK_INTERVAL = 0.0
