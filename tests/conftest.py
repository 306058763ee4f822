from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def curator(db):
    """Staff member who reviews and edits records."""
    return get_user_model().objects.create_user(
        "curator", "curator@example.org", "curator-pass-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def stranger(db):
    """Signed-in user with no staff rights."""
    return get_user_model().objects.create_user(
        "stranger", "stranger@example.org", "stranger-pass-123"
    )
