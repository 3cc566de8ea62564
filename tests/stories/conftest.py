import pytest

from tests.stories.factories import ModeratorFactory


@pytest.fixture
def moderator():
    """A member of the Moderators group, with its permissions."""
    return ModeratorFactory()


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
