"""The submission form's error summary (the GOV.UK pattern): at the top, "There is a problem"
and every error as a link to its field; each field's error shown once, next to the field."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_client(client, partner_a):
    client.force_login(partner_a)
    return client


def summary_of(html):
    return re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)


def test_the_summary_lists_every_error_as_a_link_to_its_field(partner_client, submission_post):
    data = submission_post(
        website="not a web address",
        sectors=[],
        **{"sources-0-url": "not a link", "key_figures-1-text_zh": "没有英文"},
    )

    html = partner_client.post(reverse("submissions:create"), data).content.decode()

    summary = summary_of(html)
    assert "There is a problem" in summary
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links == ["id_website", "id_sectors_0", "id_key_figures-1-text", "id_sources-0-url"]
    for anchor in links:
        assert f'id="{anchor}"' in html  # each link leads to a field on the page


def test_each_field_error_shows_once_next_to_its_field(partner_client, submission_post):
    data = submission_post(website="not a web address")
    html = partner_client.post(reverse("submissions:create"), data).content.decode()

    form = html.split('<form method="post" class="submission-form">', 1)[1]
    assert form.count("Enter a web address starting with https://") == 1
    assert "Enter a valid URL." not in html


def test_a_valid_form_has_no_summary(partner_client):
    html = partner_client.get(reverse("submissions:create"), follow=True).content.decode()

    assert "There is a problem" not in html
