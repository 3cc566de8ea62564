"""Properties of the topics field, for any text at all (Hypothesis).

Whatever a person types in the topics field of the sharing form, the story
is accepted or refused with an error on that field (never a server error),
and every topic of an accepted story, once published, links to a page that
answers."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stories.forms import StoryForm
from stories.topics import SEPARATORS
from tests.stories.sharing import story_data
from tests.stories.topics import OTHER_TOPICS, TYPED_TOPICS

pytestmark = pytest.mark.django_db

# Any text, leaning towards the separators and scripts people really type.
SAMPLES = [text for text, _topics in TYPED_TOPICS.values()] + OTHER_TOPICS
TOPICS_TEXT = st.lists(
    st.one_of(st.text(max_size=30), st.sampled_from(SAMPLES), st.sampled_from(list(SEPARATORS + " "))),
    max_size=8,
).map("".join)
NUMBERS = itertools.count()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TOPICS_TEXT)
def test_any_topics_typed_are_refused_on_their_field_or_each_links_to_a_page_that_answers(text, moderator):
    number = next(NUMBERS)
    form = StoryForm(story_data(tags=text, email=f"teller{number}@example.org", title=f"Story {number}"))

    if not form.is_valid():
        assert list(form.errors) == ["tags"]
        return
    story = form.save()
    story.publish(by=moderator)
    client = Client()
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    for tag in story.tags.all():
        link = reverse("stories:story_tag", args=[tag.slug])
        assert f'href="{link}"' in page.content.decode()
        assert client.get(link).status_code == 200
