"""The partner's form without JavaScript and its answers to the autosave (issue 13): rows
added by a button that shows the form again unsaved, near organisation names offered as
choices, and the autosave's JSON answers (one draft from two saves of the same copy)."""

import re

import pytest
from django.urls import reverse

from catalogue.models import Initiative, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_client(client, partner_a):
    client.force_login(partner_a)
    return client


def autosave(client, url, data):
    return client.post(url, data, HTTP_ACCEPT="application/json")


def ids_of_rows(html, prefix):
    return re.findall(rf'id="id_{prefix}-(\d+)-\w+"', html)


# Adding a row without JavaScript


def test_add_another_row_shows_the_form_again_with_one_more_row_and_saves_nothing(
    partner_client, submission_post
):
    data = submission_post(add_row="key_figures", title="Typed but not saved")

    response = partner_client.post(reverse("submissions:create"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert sorted(set(ids_of_rows(html, "key_figures"))) == ["0", "1", "2"]
    assert sorted(set(ids_of_rows(html, "sources"))) == ["0", "1"]
    assert 'name="key_figures-TOTAL_FORMS" value="3"' in html
    assert 'value="Typed but not saved"' in html
    assert "12,000 children in 140 schools" in html
    assert not Initiative.objects.exists()


def test_the_added_row_takes_the_focus_and_no_error_is_shown(partner_client, submission_post):
    data = submission_post(add_row="sources", sectors=[], title="")

    html = partner_client.post(reverse("submissions:create"), data).content.decode()

    assert re.search(
        r'<input[^>]*id="id_sources-2-title"[^>]*autofocus|autofocus[^>]*id="id_sources-2-title"', html
    )
    assert "There is a problem" not in html
    assert "This field is required" not in html


def test_no_row_is_added_past_the_formsets_limit(partner_client, submission_post):
    data = submission_post(add_row="alignments", **{"alignments-TOTAL_FORMS": "9"})

    html = partner_client.post(reverse("submissions:create"), data).content.decode()

    assert 'name="alignments-TOTAL_FORMS" value="9"' in html
    assert 'data-add-row="alignments"' not in html  # the button is gone at the limit


def test_an_unknown_formset_name_adds_no_row(partner_client, submission_post):
    data = submission_post(add_row="everything")

    response = partner_client.post(reverse("submissions:create"), data)

    assert response.status_code == 200
    assert 'name="key_figures-TOTAL_FORMS" value="2"' in response.content.decode()
    assert not Initiative.objects.exists()


def test_the_form_no_longer_asks_to_save_the_draft_for_more_rows(partner_client):
    html = partner_client.get(reverse("submissions:create"), follow=True).content.decode()

    assert "Need more rows?" not in html
    assert html.count('name="add_row"') == 4  # figures, requirements, sources, a tool's safeguards


def test_empty_new_rows_have_no_delete_box_and_saved_rows_have_one(partner_client, partner_a):
    draft = factories.make_submission(partner_a, title="With a figure")
    draft.key_figures.create(position=1, text="300 schools")

    new = partner_client.get(reverse("submissions:create"), follow=True).content.decode()
    edit = partner_client.get(reverse("submissions:edit", kwargs={"pk": draft.pk})).content.decode()

    assert "-DELETE" not in new
    assert re.findall(r'name="(key_figures-\d+-DELETE)"', edit) == ["key_figures-0-DELETE"]


def test_the_form_has_numbered_sections_and_a_contents_list(partner_client):
    html = partner_client.get(reverse("submissions:create"), follow=True).content.decode()

    assert "This form has 7 sections" in html  # the seventh, "As a tool", since issue 14
    contents = re.search(r'<nav class="form-contents".*?</nav>', html, re.S).group(0)
    anchors = re.findall(r'href="#([^"]+)"', contents)
    assert len(anchors) == 7
    for anchor in anchors:
        assert f'id="{anchor}"' in html
    assert [f"Section {n} of 7" in html for n in range(1, 8)] == [True] * 7


# Organisation names


def test_a_name_that_matches_none_suggests_the_near_catalogue_names(partner_client, submission_post):
    factories.make_organisation(name="UNICEF China", slug="unicef-china")
    factories.make_organisation(name="Tencent", slug="tencent")

    response = partner_client.post(reverse("submissions:create"), submission_post(lead_organisation="UNICEF"))

    html = response.content.decode()
    assert "Did you mean: UNICEF China? Or propose it as a new one." in html
    assert '<button type="submit" name="use_organisation" value="UNICEF China"' in html
    assert 'value="Tencent"' not in html
    assert not Initiative.objects.exists()


def test_choosing_a_suggested_name_puts_it_in_the_field_without_saving(partner_client, submission_post):
    factories.make_organisation(name="UNICEF China", slug="unicef-china")
    data = submission_post(lead_organisation="UNICEF", use_organisation="UNICEF China")

    html = partner_client.post(reverse("submissions:create"), data).content.decode()

    box = re.search(r'<input[^>]*id="id_lead_organisation"[^>]*>', html).group(0)
    assert 'value="UNICEF China"' in box
    assert "There is a problem" not in html
    assert not Initiative.objects.exists()


def test_a_name_near_nothing_is_refused_without_suggestions(partner_client, submission_post):
    factories.make_organisation(name="UNICEF China", slug="unicef-china")

    html = partner_client.post(
        reverse("submissions:create"), submission_post(lead_organisation="Zzyzx Labs")
    ).content.decode()

    assert "No organisation named “Zzyzx Labs” is in the catalogue; propose it as a new one." in html
    assert 'name="use_organisation"' not in html


def test_the_form_ships_no_organisation_names_for_the_lead_organisation(partner_client):
    factories.make_organisation(name="Hidden Helpers", slug="hidden-helpers")

    html = partner_client.get(reverse("submissions:create"), follow=True).content.decode()

    datalist = re.search(r'<datalist id="id_lead_organisation-options">(.*?)</datalist>', html, re.S)
    assert datalist.group(1) == ""
    assert 'data-organisation-suggest="/api/v1/organisations/near/"' in html


def test_the_form_ships_no_organisation_name_at_all(partner_client):
    factories.make_organisation(name="Hidden Helpers", slug="hidden-helpers")

    html = partner_client.get(reverse("submissions:create"), follow=True).content.decode()

    assert "Hidden Helpers" not in html
    assert 'data-organisation-suggest="/api/v1/organisations/near/"' in html


def test_partners_are_named_one_a_line_in_any_case_or_in_chinese(partner_client, submission_post):
    factories.make_organisation(name="UNICEF China", slug="unicef-china")
    factories.make_organisation(name="Tencent", name_zh="腾讯", slug="tencent")

    partner_client.post(
        reverse("submissions:create"), submission_post(partners="unicef china\n 腾讯 \n\nUNICEF China")
    )

    draft = Initiative.objects.get()
    assert sorted(draft.partners.values_list("slug", flat=True)) == ["tencent", "unicef-china"]


def test_an_unknown_partner_is_refused_with_the_near_names(partner_client, submission_post):
    factories.make_organisation(name="UNICEF China", slug="unicef-china")

    html = partner_client.post(
        reverse("submissions:create"), submission_post(partners="UNICEF\nZzyzx Labs")
    ).content.decode()

    assert "No organisation named “UNICEF” is in the catalogue. Did you mean: UNICEF China?" in html
    assert "No organisation named “Zzyzx Labs” is in the catalogue." in html
    assert not Initiative.objects.exists()


def test_the_edit_page_names_the_saved_partners(partner_client, partner_a):
    draft = factories.make_submission(partner_a, title="With partners")
    draft.partners.set(
        [factories.make_organisation(name="Open Schools"), factories.make_organisation(name="Tencent")]
    )

    html = partner_client.get(reverse("submissions:edit", kwargs={"pk": draft.pk})).content.decode()

    textarea = re.search(r'<textarea[^>]*id="id_partners"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert textarea.split() == ["Open", "Schools", "Tencent"]


def test_near_names_are_ranked_in_the_database_on_either_engine(db):
    china = factories.make_organisation(name="UNICEF China", slug="unicef-china")
    office = factories.make_organisation(name="UNICEF Office of Research", slug="unicef-research")
    factories.make_organisation(name="Save the Children", slug="save-the-children")
    factories.make_organisation(name="联合国儿童基金会", name_zh="联合国儿童基金会", slug="unicef-zh")

    assert Organisation.objects.near("unicef") == [china, office]
    assert Organisation.objects.near("UNICEF Chna")[0] == china  # a typo: the closest first
    assert [o.slug for o in Organisation.objects.near("儿童基金")] == ["unicef-zh"]


def test_the_near_names_endpoint_answers_the_names_like_the_typed_one(client, db):
    factories.make_organisation(
        name="UNICEF China", slug="unicef-china", name_zh="联合国儿童基金会驻华办事处"
    )
    factories.make_organisation(name="Tencent", slug="tencent")

    answer = client.get("/api/v1/organisations/near/", {"name": "UNICEF"})

    assert answer.status_code == 200
    assert [(o["slug"], o["name"], o["name_zh"]) for o in answer.json()] == [
        ("unicef-china", "UNICEF China", "联合国儿童基金会驻华办事处")
    ]


def test_the_near_names_endpoint_names_a_missing_name(client, db):
    answer = client.get("/api/v1/organisations/near/", {"name": "U"})

    assert answer.status_code == 400
    assert "name" in answer.json()


# The autosave's answers


def test_two_autosaves_of_the_same_copy_make_one_draft(partner_client, submission_post):
    data = submission_post()
    url = reverse("submissions:create")

    first = autosave(partner_client, url, data)
    second = autosave(partner_client, url, {**data, "title": "Reading Buddy, renamed"})

    draft = Initiative.objects.get()
    assert first.status_code == second.status_code == 200
    assert first.json()["saved"] is True and first.json()["saved_at"]
    assert first.json()["edit_url"] == reverse("submissions:edit", kwargs={"pk": draft.pk})
    assert draft.title == "Reading Buddy, renamed"
    assert draft.status == Initiative.Status.DRAFT


def test_an_autosave_to_the_drafts_address_keeps_its_rows(partner_client, submission_post):
    """After the first autosave the form posts to the edit address with the data of the new
    form, whose rows all count as new ones."""
    data = submission_post()
    autosave(partner_client, reverse("submissions:create"), data)
    draft = Initiative.objects.get()

    answer = autosave(partner_client, reverse("submissions:edit", kwargs={"pk": draft.pk}), data)

    assert answer.json()["saved"] is True
    assert list(draft.key_figures.values_list("text", flat=True)) == ["12,000 children in 140 schools"]
    assert draft.alignments.count() == 1 and draft.submitted_sources.count() == 1


def test_an_autosave_of_an_unfinished_form_answers_its_errors_and_saves_nothing(
    partner_client, submission_post
):
    answer = autosave(partner_client, reverse("submissions:create"), submission_post(sectors=[], title=""))

    assert answer.status_code == 400
    assert answer.json() == {
        "saved": False,
        "errors": [
            {"field": "id_title", "message": "Title: This field is required."},
            {"field": "id_sectors_0", "message": "Sectors: This field is required."},
        ],
    }
    assert not Initiative.objects.exists()


def test_an_autosave_never_submits_a_submission_sent_back_for_changes(
    partner_client, partner_a, submission_post
):
    returned = factories.make_submission(partner_a, status=Initiative.Status.CHANGES_REQUESTED)

    answer = autosave(
        partner_client, reverse("submissions:edit", kwargs={"pk": returned.pk}), submission_post()
    )

    returned.refresh_from_db()
    assert answer.json()["saved"] is True
    assert returned.status == Initiative.Status.CHANGES_REQUESTED


def test_an_autosave_of_a_copy_whose_draft_went_to_the_editors_is_a_409(partner_client, submission_post):
    data = submission_post()
    autosave(partner_client, reverse("submissions:create"), data)
    Initiative.objects.update(status=Initiative.Status.SUBMITTED)

    answer = autosave(partner_client, reverse("submissions:create"), data)

    assert answer.status_code == 409
    assert answer.json()["saved"] is False
    assert "already sent" in answer.json()["errors"][0]["message"]


def test_the_browsers_own_post_still_redirects_to_the_draft(partner_client, submission_post):
    response = partner_client.post(reverse("submissions:create"), submission_post())

    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:detail", kwargs={"pk": Initiative.objects.get().pk})
