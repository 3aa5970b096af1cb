"""Bad input gets per-field errors with the partner's values kept, never a 500, and nothing
a partner writes is ever rendered as HTML."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from catalogue.models import Initiative
from tests import factories
from tests.fuzz import FUZZ_SETTINGS, assert_answered, form_posts

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def partner_client(client, partner_a):
    client.force_login(partner_a)
    return client


def post_submission(client, data):
    return client.post(reverse("submissions:create"), data)


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "summary", "sectors"])
def test_missing_required_field_is_an_error_on_that_field(partner_client, submission_post, field):
    response = post_submission(partner_client, submission_post(**{field: None}))

    assert response.status_code == 200
    assert field_errors(response, field) == ["This field is required."]
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_entered_values_are_kept_when_the_form_has_errors(partner_client, submission_post):
    response = post_submission(partner_client, submission_post(summary="", title="Kept title value"))

    content = response.content.decode()
    assert 'value="Kept title value"' in content
    assert "12,000 children in 140 schools" in content  # formset rows too


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "x" * 251), ("summary", "x" * 3001), ("title_zh", "字" * 251)],
)
def test_over_long_text_is_refused(partner_client, submission_post, field, value):
    response = post_submission(partner_client, submission_post(**{field: value}))

    assert "Ensure this value has at most" in field_errors(response, field)[0]
    assert not Initiative.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["not a url", "javascript:alert(1)", "ftp://files.example.org/x"])
def test_website_must_be_a_web_address(partner_client, submission_post, url):
    response = post_submission(partner_client, submission_post(website=url))

    assert field_errors(response, "website")
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_bad_source_url_is_an_error_on_that_row(partner_client, submission_post):
    response = post_submission(partner_client, submission_post(**{"sources-0-url": "javascript:alert(1)"}))

    assert response.context["sources"].errors[0]["url"]
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_a_source_needs_a_url_or_a_reference(partner_client, submission_post):
    response = post_submission(
        partner_client, submission_post(**{"sources-0-url": "", "sources-0-reference": ""})
    )

    assert response.context["sources"].errors[0]["__all__"] == [
        "Give the source's URL or a document reference."
    ]
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_the_same_requirement_twice_is_refused(partner_client, submission_post, vocabulary):
    data = submission_post(
        **{"alignments-1-requirement": vocabulary["requirement"].pk, "alignments-1-rationale": "Again."}
    )

    response = post_submission(partner_client, data)

    assert "is listed twice" in str(response.context["alignments"].non_form_errors())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lead", "proposed", "message"),
    [
        ("", "", "Choose the lead organisation from the catalogue, or propose a new one."),
        ("Readers Trust", "Another Org", "not both"),
        ("No Such Organisation", "", "is in the catalogue; propose it as a new one"),
    ],
)
def test_lead_organisation_is_one_existing_or_one_proposed(
    partner_client, submission_post, lead, proposed, message
):
    response = post_submission(
        partner_client, submission_post(lead_organisation=lead, new_organisation_name=proposed)
    )

    assert message in " ".join(field_errors(response, "lead_organisation"))


@pytest.mark.django_db
def test_lead_organisation_is_found_by_name_whatever_the_case(partner_client, submission_post):
    post_submission(partner_client, submission_post(lead_organisation="readers trust"))

    assert Initiative.objects.get().lead_organisation.slug == "readers-trust"


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["1800", "2999", "twenty"])
def test_implausible_start_year_is_refused(partner_client, submission_post, year):
    response = post_submission(partner_client, submission_post(start_year=year))

    assert field_errors(response, "start_year")


@pytest.mark.django_db
def test_a_filled_honeypot_creates_nothing(partner_client, submission_post):
    response = post_submission(partner_client, submission_post(nickname="I am a bot"))

    assert response.status_code == 200
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_the_honeypot_is_hidden_from_people(partner_client):
    content = partner_client.get(reverse("submissions:create"), follow=True).content.decode()

    assert (
        '<div hidden aria-hidden="true"><label for="id_nickname">Leave this field empty:</label>' in content
    )


@pytest.mark.django_db
def test_script_tags_from_partners_are_escaped_everywhere(client, partner_a, editor, submission_post):
    client.force_login(partner_a)
    post_submission(
        client,
        submission_post(
            title=f"Evil {SCRIPT}",
            summary=f"Summary {SCRIPT}",
            **{"key_figures-0-text": SCRIPT, "sources-0-title": SCRIPT},
        ),
    )
    initiative = Initiative.objects.get()
    pages = [reverse("submissions:list"), reverse("submissions:detail", kwargs={"pk": initiative.pk})]
    for url in pages:
        content = client.get(url).content.decode()
        assert SCRIPT not in content
        assert "&lt;script&gt;" in content
    client.post(reverse("submissions:submit", kwargs={"pk": initiative.pk}))

    client.force_login(editor)
    for url in [reverse("review:queue"), reverse("review:detail", kwargs={"pk": initiative.pk})]:
        content = client.get(url).content.decode()
        assert SCRIPT not in content
        assert "&lt;script&gt;" in content


@pytest.mark.django_db
def test_partner_links_are_nofollow_noopener(client, partner_a):
    initiative = factories.make_submission(partner_a, website="https://partner.example.org/")
    client.force_login(partner_a)

    content = client.get(reverse("submissions:detail", kwargs={"pk": initiative.pk})).content.decode()

    assert '<a href="https://partner.example.org/" rel="nofollow noopener">' in content


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["request_changes", "reject"])
def test_editor_must_give_a_note_to_request_changes_or_reject(client, editor, partner_a, decision):
    initiative = factories.make_submission(partner_a, status=Initiative.Status.SUBMITTED)
    client.force_login(editor)

    response = client.post(
        reverse("review:detail", kwargs={"pk": initiative.pk}), {"decision": decision, "note": "  "}
    )

    assert response.status_code == 200
    assert response.context["decision_form"].errors["note"]
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED


@pytest.mark.django_db
def test_an_unknown_decision_is_a_form_error(client, editor, partner_a):
    initiative = factories.make_submission(partner_a, status=Initiative.Status.SUBMITTED)
    client.force_login(editor)

    response = client.post(reverse("review:detail", kwargs={"pk": initiative.pk}), {"decision": "delete"})

    assert response.context["decision_form"].errors["decision"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["lead_organisation", "title", "new_organisation_name", "sources-0-title"])
def test_a_nul_character_is_a_form_error_not_a_500(partner_client, submission_post, field):
    response = post_submission(partner_client, submission_post(**{field: "\x00"}))

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Initiative.objects.exists()


# --- Fuzzing every field of the submission and review forms --------------------------------------


@pytest.fixture
def unlimited(settings):
    settings.SUBMISSIONS_PER_HOUR = 1_000_000


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=st.data())
def test_the_submission_form_never_answers_500(partner_client, submission_post, unlimited, data):
    post = data.draw(form_posts(submission_post()))

    assert_answered(post_submission(partner_client, post))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=st.data())
def test_editing_a_draft_never_answers_500(partner_client, partner_a, submission_post, data):
    draft = factories.make_submission(partner_a)
    post = data.draw(form_posts(submission_post(submission_key="")))

    assert_answered(partner_client.post(reverse("submissions:edit", kwargs={"pk": draft.pk}), post))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts({"decision": "request_changes", "note": "Please add a source."}))
def test_the_review_form_never_answers_500(client, partner_a, editor, data):
    submitted = factories.make_submission(partner_a, status=Initiative.Status.SUBMITTED)
    client.force_login(editor)

    assert_answered(client.post(reverse("review:detail", kwargs={"pk": submitted.pk}), data))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(
    data=form_posts(
        {"q": "reading", "sector": "education", "partner": "Readers", "proposes_organisation": "true"}
    )
)
def test_the_review_queue_filters_never_answer_500(client, editor, vocabulary, data):
    client.force_login(editor)

    assert_answered(client.get(reverse("review:queue"), data))


@pytest.mark.django_db
def test_an_organisation_name_longer_than_any_is_a_form_error(partner_client, submission_post):
    # Looked up before validation: SQLite refused the 100,000-character LIKE pattern (a 500).
    response = post_submission(partner_client, submission_post(lead_organisation="x" * 100_000))

    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in " ".join(
        field_errors(response, "lead_organisation")
    )
    assert not Initiative.objects.exists()


def test_an_id_too_large_for_the_database_is_an_invalid_choice_not_a_500(client, db):
    partner = factories.make_partner(confirmed=True)
    client.force_login(partner)
    form = client.get("/submit/", follow=True)
    key = form.request["QUERY_STRING"].removeprefix("key=")

    response = client.post(
        f"/submit/?key={key}",
        {
            "title": "Huge ids",
            "summary": "x",
            "partners": "99999999999999999999999999",
            "submission_key": key,
        },
    )

    assert response.status_code == 200
    assert "9" * 26 in response.content.decode()  # named in the form error
