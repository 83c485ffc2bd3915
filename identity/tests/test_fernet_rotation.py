"""`manage.py fernet_rotate`: tokens signed with older keys stay valid while those keys are kept."""

import pytest
from django.core.management import call_command

from identity.fernet import repository
from identity.services import tokens

pytestmark = pytest.mark.django_db


def test_rotation_keeps_old_tokens_until_their_key_is_pruned(bootstrapped, issue_token, settings):
    settings.FERNET_MAX_ACTIVE_KEYS = 3
    repository().max_active_keys = 3
    repo = repository()
    old_token = issue_token("demo", "demopw", "demo")
    assert tokens.validate(old_token) is not None
    signing_key = max(repo.key_numbers())

    call_command("fernet_rotate", stdout=open("/dev/null", "w"))
    repo.invalidate()
    assert max(repo.key_numbers()) == signing_key + 1
    assert signing_key in repo.key_numbers()
    assert tokens.validate(old_token) is not None, "a secondary key still validates its tokens"
    new_token = issue_token("demo", "demopw", "demo")
    assert tokens.validate(new_token) is not None

    # Staged + primary + one secondary: the next rotation prunes the key the old token was made with.
    call_command("fernet_rotate", stdout=open("/dev/null", "w"))
    repo.invalidate()
    assert signing_key not in repo.key_numbers()
    assert tokens.validate(old_token) is None
    assert tokens.validate(new_token) is not None


def test_a_token_from_another_key_repository_is_refused(bootstrapped, issue_token, tmp_path, settings):
    token = issue_token("demo", "demopw", "demo")
    settings.FERNET_KEY_REPOSITORY = tmp_path / "other-keys"
    repository().setup()
    assert tokens.validate(token) is None
