"""Members-only parts of a record: on the case page, an active member of the part's community
and editors read the text; everyone else reads that more is available to vetted members.
Every reading is logged, and each person sees the log of their own readings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.models import AccessRecord, RestrictedPart
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "Write to the unit's duty officer on the secure line."
READERS = ["member", "editor"]
OTHERS = ["anonymous", "partner", "applicant", "expired member", "revoked member"]


@pytest.fixture
def case(community):
    initiative = factories.make_initiative(slug="triage-tool", title="Triage tool")
    factories.make_restricted_part(initiative, community, text=SECRET)
    return initiative


def page_of(client, case):
    return client.get(case.get_absolute_url()).content.decode()


@pytest.mark.parametrize("persona", READERS)
def test_members_of_the_community_and_editors_read_the_part_on_the_case_page(
    client_for, hub_personas, case, persona
):
    page = page_of(client_for(hub_personas[persona]), case)

    assert SECRET.replace("'", "&#x27;") in page
    assert "Access contact" in page


@pytest.mark.parametrize("persona", OTHERS)
def test_others_read_that_more_is_available_and_never_the_text(
    client_for, hub_personas, case, community, persona
):
    page = page_of(client_for(hub_personas[persona]), case)

    assert "duty officer" not in page
    assert "More about this case is available to vetted members of:" in page
    assert community.get_absolute_url() in page


def test_a_member_of_another_community_does_not_read_the_part(client_for, case):
    other = factories.make_community(name="Child helplines", slug="child-helplines")
    outsider = factories.make_partner("helpline@example.org")
    factories.make_membership(outsider, other, status="approved")

    page = page_of(client_for(outsider), case)

    assert "duty officer" not in page
    assert "More about this case is available to vetted members of:" in page


def test_a_case_without_members_only_content_says_nothing_of_it(client):
    plain = factories.make_initiative()

    assert "For vetted members" not in page_of(client, plain)


def test_each_reading_is_logged_with_who_what_and_when(client_for, member, case):
    page_of(client_for(member), case)
    page_of(client_for(member), case)

    records = AccessRecord.objects.filter(reader=member)
    assert records.count() == 2
    assert {(r.initiative, r.part.text) for r in records} == {(case, SECRET)}
    assert "Access contact" in records.first().what


@pytest.mark.parametrize("persona", OTHERS)
def test_those_who_read_nothing_are_not_logged(client_for, hub_personas, case, persona):
    page_of(client_for(hub_personas[persona]), case)

    assert not AccessRecord.objects.exists()


def test_a_member_sees_their_own_readings_and_no_one_elses(client_for, member, peer, case):
    page_of(client_for(peer), case)
    page_of(client_for(member), case)

    response = client_for(member).get(reverse("hub:access-log"))

    assert [record.reader for record in response.context["records"]] == [member]
    assert "peer@example.org" not in response.content.decode()
    assert "Triage tool" in response.content.decode()


def test_editors_see_everyones_readings(client_for, member, peer, hub_editor, case):
    page_of(client_for(peer), case)
    page_of(client_for(member), case)

    response = client_for(hub_editor).get(reverse("hub:access-log"))

    assert {record.reader.email for record in response.context["records"]} == {
        "member@example.org",
        "peer@example.org",
    }


def test_the_profile_links_to_the_access_log(client_for, member):
    page = client_for(member).get(reverse("accounts:profile")).content.decode()

    assert reverse("hub:access-log") in page


def test_the_access_log_runs_a_fixed_number_of_queries(client_for, member, case, django_assert_num_queries):
    for _ in range(3):
        page_of(client_for(member), case)
    client = client_for(member)

    # session, user, the editor check (user's and groups' permissions: 2), the count
    # (pagination), the records with their readers, cases, parts and reports
    with django_assert_num_queries(6):
        response = client.get(reverse("hub:access-log"))
    assert len(response.context["records"]) == 3


def test_an_anonymous_reader_costs_one_query_of_the_hub_whatever_the_case_holds(client, case, uncached):
    plain = factories.make_initiative()
    client.get(plain.get_absolute_url())
    with CaptureQueriesContext(connection) as plain_queries:
        client.get(plain.get_absolute_url())
    with CaptureQueriesContext(connection) as case_queries:
        client.get(case.get_absolute_url())

    # as many queries with members-only content as without; the hub's is which communities hold some
    assert len(case_queries) == len(plain_queries)
    # (on PostgreSQL a prepared statement, named after the question)
    asked = [
        q["sql"]
        for q in case_queries.captured_queries
        if "hub_community" in q["sql"] or "communities" in q["sql"]
    ]
    assert len(asked) == 1


def test_a_members_case_page_costs_the_same_queries_for_one_part_or_many(
    client_for, member, peer, case, community
):
    client = client_for(member)
    with CaptureQueriesContext(connection) as one:
        client.get(case.get_absolute_url())
    for _ in range(3):
        factories.make_restricted_part(case, community, kind="operational_details")
        factories.make_experience_report(case, peer, status="approved")
    with CaptureQueriesContext(connection) as many:
        client.get(case.get_absolute_url())

    # the hub's share: the editor check (2), the reader's memberships, the parts, the reports,
    # the communities holding content, and one insert into the access log for all readings
    assert len(many) == len(one)
    assert AccessRecord.objects.filter(reader=member).count() == 1 + 4 + 3


# --- Editing (editors) ------------------------------------------------------------------------


def test_an_editor_adds_a_part_from_the_editing_page(client_for, hub_editor, community):
    initiative = factories.make_initiative()

    response = client_for(hub_editor).post(
        reverse("hub:restricted-part-list", kwargs={"slug": initiative.slug}),
        {"community": community.pk, "kind": "operational_details", "text": "Runs offline."},
    )

    assert response.status_code == 302
    part = RestrictedPart.objects.get()
    assert (part.initiative, part.kind, part.text, part.written_by) == (
        initiative,
        "operational_details",
        "Runs offline.",
        hub_editor,
    )


def test_a_part_without_text_is_a_form_error(client_for, hub_editor, community):
    initiative = factories.make_initiative()

    response = client_for(hub_editor).post(
        reverse("hub:restricted-part-list", kwargs={"slug": initiative.slug}),
        {"community": community.pk, "kind": "access_contact", "text": ""},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert not RestrictedPart.objects.exists()


def test_an_unknown_kind_is_a_form_error(client_for, hub_editor, community):
    initiative = factories.make_initiative()

    response = client_for(hub_editor).post(
        reverse("hub:restricted-part-list", kwargs={"slug": initiative.slug}),
        {"community": community.pk, "kind": "gossip", "text": "x"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["kind"]


def test_an_editor_edits_and_deletes_a_part(client_for, hub_editor, case, community):
    part = RestrictedPart.objects.get()
    client = client_for(hub_editor)

    client.post(part.get_absolute_url(), {"community": community.pk, "kind": "other", "text": "Changed."})
    part.refresh_from_db()
    assert (part.kind, part.text) == ("other", "Changed.")

    response = client.post(reverse("hub:restricted-part-delete", kwargs={"pk": part.pk}))
    assert response.status_code == 302
    assert not RestrictedPart.objects.exists()


@pytest.mark.parametrize("persona", ["partner", "member", "expired member"])
def test_only_editors_may_edit_parts(client_for, hub_personas, case, community, persona):
    part = RestrictedPart.objects.get()
    client = client_for(hub_personas[persona])

    assert client.get(reverse("hub:restricted-part-list", kwargs={"slug": case.slug})).status_code == 403
    response = client.post(
        part.get_absolute_url(), {"community": community.pk, "kind": "other", "text": "Mine"}
    )
    assert response.status_code == 403
    assert client.post(reverse("hub:restricted-part-delete", kwargs={"pk": part.pk})).status_code == 403
    part.refresh_from_db()
    assert part.text == SECRET


def test_the_editors_page_runs_a_fixed_number_of_queries(
    client_for, hub_editor, case, django_assert_num_queries
):
    client = client_for(hub_editor)

    # session, user, the editor check (2), the case, its parts with communities and writers,
    # whether the whole case is members only (with its community), the community choices of
    # the part's form and of the whole case's
    with django_assert_num_queries(9):
        response = client.get(reverse("hub:restricted-part-list", kwargs={"slug": case.slug}))
    assert len(response.context["parts"]) == 1


def test_the_case_page_links_editors_to_the_editing_page(client_for, hub_editor, member, case):
    link = reverse("hub:restricted-part-list", kwargs={"slug": case.slug})

    assert link in page_of(client_for(hub_editor), case)
    assert link not in page_of(client_for(member), case)


def test_non_editors_cannot_tell_which_draft_slugs_exist(client_for, member):
    draft = factories.make_initiative(status="draft")
    client = client_for(member)

    answers = {
        client.get(reverse("hub:restricted-part-list", kwargs={"slug": slug})).status_code
        for slug in (draft.slug, "no-such-case")
    }

    assert answers == {403}
