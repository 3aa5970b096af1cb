"""The workflow's rules: one record per double POST, rate limits, transitions only from the
right status, publication turning proposals into catalogue records, the audit trail, what
changed since the last review, possible duplicates, and privacy until publication."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from catalogue.models import Initiative, Organisation, Source, StatusChange
from tests import factories
from workflow import transitions as workflow

Status = Initiative.Status


@pytest.fixture
def partner_client(client, partner_a):
    client.force_login(partner_a)
    return client


@pytest.mark.django_db
def test_posting_the_same_form_twice_creates_one_draft(partner_client, submission_post):
    data = submission_post()

    first = partner_client.post(reverse("submissions:create"), data)
    second = partner_client.post(reverse("submissions:create"), data)

    assert Initiative.objects.count() == 1
    assert first.url == second.url


@pytest.mark.django_db
def test_saving_the_form_again_after_going_back_changes_the_first_draft(partner_client, submission_post):
    """What a browser sends when the partner saves, goes Back (the page restored as it was) and
    saves again with a change: the same copy of the form, with other content."""
    data = submission_post()
    first = partner_client.post(reverse("submissions:create"), data)

    again = partner_client.post(reverse("submissions:create"), {**data, "title": "Reading Buddy, revised"})

    assert again.url == first.url
    assert Initiative.objects.get().title == "Reading Buddy, revised"


@pytest.mark.django_db
def test_each_new_form_gets_its_own_key_in_its_address(partner_client):
    first = partner_client.get(reverse("submissions:create"))
    second = partner_client.get(reverse("submissions:create"))

    assert first.status_code == second.status_code == 302
    assert first.url.startswith("/submit/?key=")
    assert first.url != second.url
    form = partner_client.get(first.url).context["form"]
    assert str(form["submission_key"].value()) == first.url.removeprefix("/submit/?key=")


@pytest.mark.django_db
def test_going_back_to_a_saved_form_opens_the_draft_it_created(partner_client, submission_post):
    """A browser going Back loads the form's address again: the partner gets the draft, to
    edit, rather than an empty copy that would make a second draft."""
    address = partner_client.get(reverse("submissions:create")).url
    key = address.removeprefix("/submit/?key=")
    partner_client.post(address, submission_post(submission_key=key))
    draft = Initiative.objects.get()

    response = partner_client.get(address, follow=True)

    assert response.redirect_chain == [(reverse("submissions:edit", kwargs={"pk": draft.pk}), 302)]
    assert "You saved this form before; here is the draft it created." in response.content.decode()


@pytest.mark.django_db
def test_going_back_to_a_form_whose_draft_was_submitted_shows_the_submission(partner_client, submission_post):
    address = partner_client.get(reverse("submissions:create")).url
    partner_client.post(address, submission_post(submission_key=address.removeprefix("/submit/?key=")))
    draft = Initiative.objects.get()
    workflow.submit(draft, draft.submitted_by)

    response = partner_client.get(address)
    again = partner_client.post(
        address, submission_post(submission_key=address.removeprefix("/submit/?key="), title="Changed")
    )

    assert response.url == again.url == reverse("submissions:detail", kwargs={"pk": draft.pk})
    assert Initiative.objects.get().title == "Reading Buddy for rural schools"


@pytest.mark.django_db
def test_two_copies_of_the_form_create_two_drafts(partner_client, submission_post):
    partner_client.post(reverse("submissions:create"), submission_post())
    partner_client.post(reverse("submissions:create"), submission_post(title="Another case"))

    assert Initiative.objects.count() == 2


@pytest.mark.django_db
def test_pressing_submit_twice_records_one_submission(partner_client, partner_a):
    initiative = factories.make_submission(partner_a)
    url = reverse("submissions:submit", kwargs={"pk": initiative.pk})

    partner_client.post(url)
    partner_client.post(url)

    assert initiative.status_changes.filter(to_status=Status.SUBMITTED).count() == 1


@pytest.mark.django_db
def test_publishing_twice_publishes_once(client, editor, partner_a, django_capture_on_commit_callbacks):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)
    client.force_login(editor)
    url = reverse("review:detail", kwargs={"pk": initiative.pk})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "publish"})
        client.post(url, {"decision": "publish"})

    assert initiative.status_changes.filter(to_status=Status.PUBLISHED).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_partners_are_limited_to_a_number_of_submissions_an_hour(partner_client, partner_a, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    drafts = [factories.make_submission(partner_a, title=title) for title in ["One", "Two", "Three"]]
    for draft in drafts[:2]:
        partner_client.post(reverse("submissions:submit", kwargs={"pk": draft.pk}))

    response = partner_client.post(reverse("submissions:submit", kwargs={"pk": drafts[2].pk}), follow=True)

    assert "You have submitted 2 cases in the last hour" in response.content.decode()
    drafts[2].refresh_from_db()
    assert drafts[2].status == Status.DRAFT


@pytest.mark.django_db
def test_drafts_do_not_count_toward_the_hourly_limit(partner_client, submission_post, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    for title in ["One", "Two", "Three", "Four"]:
        response = partner_client.post(reverse("submissions:create"), submission_post(title=title))
        assert response.status_code == 302
    [draft] = Initiative.objects.filter(title="Four")

    partner_client.post(reverse("submissions:submit", kwargs={"pk": draft.pk}))

    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


@pytest.mark.django_db
def test_a_resubmission_the_editors_asked_for_is_not_counted(partner_a, settings):
    settings.SUBMISSIONS_PER_HOUR = 1
    workflow.submit(factories.make_submission(partner_a), partner_a)
    sent_back = factories.make_submission(partner_a, status=Status.CHANGES_REQUESTED)

    workflow.submit(sent_back, partner_a)

    sent_back.refresh_from_db()
    assert sent_back.status == Status.SUBMITTED


@pytest.mark.django_db
def test_editors_group_exists_with_the_review_permission():
    editors = Group.objects.get(name="Editors")

    assert editors.permissions.filter(codename="review_initiative").exists()
    assert editors.permissions.filter(codename="change_initiative").exists()


@pytest.mark.django_db
def test_staff_and_editors_review_partners_do_not(partner_a, editor, django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)

    assert workflow.is_editor(editor)
    assert workflow.is_editor(staff)
    assert not workflow.is_editor(partner_a)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.PUBLISHED, Status.REJECTED, Status.CHANGES_REQUESTED]
)
def test_only_submitted_initiatives_can_be_decided(partner_a, editor, status):
    initiative = factories.make_submission(partner_a, status=status)

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.publish(initiative, editor)


@pytest.mark.django_db
def test_a_partner_cannot_edit_once_submitted(partner_a, submission_post):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.update_submission(initiative, partner_a, {})


@pytest.mark.django_db
def test_publishing_turns_the_proposed_organisation_and_sources_into_records(
    partner_client, submission_post, editor
):
    partner_client.post(
        reverse("submissions:create"),
        submission_post(
            lead_organisation="",
            new_organisation_name="Brand New Org",
            new_organisation_website="https://new.example",
        ),
    )
    initiative = Initiative.objects.get()
    assert not Organisation.objects.filter(name="Brand New Org").exists()  # private until published
    assert not Source.objects.filter(title="Reading Buddy annual report 2023").exists()
    workflow.submit(initiative, initiative.submitted_by)

    workflow.publish(initiative, editor)

    initiative.refresh_from_db()
    organisation = Organisation.objects.get(name="Brand New Org")
    assert initiative.lead_organisation == organisation
    assert organisation.website == "https://new.example"
    assert initiative.proposed_organisation.approved_as == organisation
    citation = initiative.citations.get()
    assert citation.source.kind == Source.Kind.PARTNER
    assert citation.source.url == "https://reading-buddy.example.org/report-2023.pdf"
    assert citation.location == "p. 4"


@pytest.mark.django_db
def test_each_step_records_who_when_and_the_note(partner_a, editor):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)

    change = workflow.request_changes(initiative, editor, "Add figures.")

    assert (change.actor, change.from_status, change.to_status, change.note) == (
        editor,
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        "Add figures.",
    )
    assert change.created_at is not None
    assert change.snapshot["title"] == initiative.title


@pytest.mark.django_db
def test_rejecting_emails_the_partner_with_the_note(partner_a, editor, django_capture_on_commit_callbacks):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.reject(initiative, editor, "Out of scope: not an AI project.")

    assert mail.outbox[0].to == ["a@example.org"]
    assert "Out of scope: not an AI project." in mail.outbox[0].body
    assert "/submissions/" in mail.outbox[0].body


@pytest.mark.django_db
def test_changes_since_last_review_lists_only_changed_fields(partner_a, editor, vocabulary):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED, summary="Old summary.")
    assert workflow.changes_since_last_review(initiative) is None
    workflow.request_changes(initiative, editor, "More detail please.")

    Initiative.objects.filter(pk=initiative.pk).update(summary="New summary.")
    initiative.sectors.add(vocabulary["sector"])

    changes = workflow.changes_since_last_review(Initiative.objects.get(pk=initiative.pk))
    assert [(str(label), before, after) for label, before, after in changes] == [
        ("Summary", "Old summary.", "New summary."),
        ("Sectors", "", "Education"),
    ]


@pytest.mark.django_db
def test_possible_duplicates_are_similar_titles_or_same_organisation_and_sector(partner_a, vocabulary):
    sector, organisation = vocabulary["sector"], vocabulary["organisation"]
    similar = factories.make_initiative(title="Reading Buddy for rural school")
    same_org_and_sector = factories.make_initiative(lead_organisation=organisation, sectors=[sector])
    factories.make_initiative(lead_organisation=organisation)  # other sector
    factories.make_initiative(title="Something else entirely")
    factories.make_submission(partner_a, title="Reading Buddy for rural schools!")  # a draft: private
    draft = factories.make_submission(
        partner_a, title="Reading Buddy for rural schools", lead_organisation=organisation, sectors=[sector]
    )

    duplicates = Initiative.objects.possible_duplicates_of(draft)

    assert set(duplicates) == {similar, same_org_and_sector}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED, Status.ARCHIVED]
)
def test_nothing_unpublished_is_public(client, partner_a, status):
    initiative = factories.make_submission(partner_a, status=status, title="Secret partner draft")

    assert not Initiative.objects.published().filter(pk=initiative.pk).exists()
    for url in [
        "/",
        reverse("catalogue:initiative-detail", kwargs={"slug": initiative.slug}),
        "/initiatives/",
    ]:
        assert "Secret partner draft" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_colleagues_share_drafts_only_once_an_editor_confirms_membership(partner_a, partner_organisation):
    unconfirmed = factories.make_partner(organisation=partner_organisation, confirmed=False)
    draft = factories.make_submission(partner_a)

    assert draft not in Initiative.objects.for_partner(unconfirmed)
    assert factories.make_submission(unconfirmed) not in Initiative.objects.for_partner(partner_a)


def admin_change_form_data(admin_client, initiative, **changes):
    """What the admin's change form posts back for this initiative, with `changes` applied."""
    page = admin_client.get(reverse("admin:catalogue_initiative_change", args=[initiative.pk]))
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name not in ("created_at", "updated_at", "published_at") and value is not None
    }
    data.update(
        sectors=[s.pk for s in initiative.sectors.all()] or [factories.make_sector().pk],
        countries=[],
        partners=[],
        technologies=[],
        beneficiary_groups=[],
        lead_organisation=initiative.lead_organisation_id or "",
        submitted_by=initiative.submitted_by_id or "",
        **changes,
    )
    for prefix in [
        "citations",
        "alignments",
        "key_figures",
        "proposed_organisation",
        "submitted_sources",
        "status_changes",
        "editor_edits",
        "comments",
        "tool_profile",
    ]:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data["status_changes-INITIAL_FORMS"] = initiative.status_changes.count()
    return data


@pytest.mark.django_db
def test_the_admin_change_form_cannot_set_the_status(admin_client, partner_a):
    # Setting status=published here skipped the workflow: no proposed organisation made
    # public, no email, no history. The status is read-only; the workflow's actions move it.
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)
    # The admin edits each language's column; English is title_en (issue 15).
    data = admin_change_form_data(admin_client, initiative, status=Status.PUBLISHED, title_en="Renamed")

    response = admin_client.post(reverse("admin:catalogue_initiative_change", args=[initiative.pk]), data)

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Renamed"
    assert initiative.status == Status.SUBMITTED


@pytest.mark.django_db
def test_publishing_from_the_admin_goes_through_the_workflow(
    admin_client, partner_a, mailoutbox, django_capture_on_commit_callbacks
):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED, lead_organisation=None)
    ProposedOrganisation = initiative.__class__.proposed_organisation.related.related_model
    ProposedOrganisation.objects.create(initiative=initiative, name="Reading Buddy Ltd")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:catalogue_initiative_changelist"),
            {"action": "publish", "_selected_action": [initiative.pk]},
        )

    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED
    assert initiative.lead_organisation.name == "Reading Buddy Ltd"
    assert Organisation.objects.filter(name="Reading Buddy Ltd").exists()
    change = initiative.status_changes.last()
    assert (change.from_status, change.to_status) == (Status.SUBMITTED, Status.PUBLISHED)
    assert [message.to for message in mailoutbox] == [[partner_a.email]]


@pytest.mark.django_db
def test_archiving_from_the_admin_unpublishes_and_enters_the_audit_trail(admin_client, editor):
    initiative = factories.make_initiative()  # published, as the shipped catalogue's are

    admin_client.post(
        reverse("admin:catalogue_initiative_changelist"),
        {"action": "archive", "_selected_action": [initiative.pk]},
    )

    initiative.refresh_from_db()
    assert initiative.status == Status.ARCHIVED
    assert not Initiative.objects.published().filter(pk=initiative.pk).exists()
    change = initiative.status_changes.last()
    assert (change.from_status, change.to_status) == (Status.PUBLISHED, Status.ARCHIVED)


@pytest.mark.django_db
def test_an_admin_action_from_the_wrong_status_changes_nothing_and_says_so(admin_client, partner_a):
    draft = factories.make_submission(partner_a, status=Status.DRAFT)

    response = admin_client.post(
        reverse("admin:catalogue_initiative_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert "Not possible from their current status" in response.content.decode()


@pytest.mark.django_db
def test_an_initiative_with_a_history_cannot_be_deleted_with_it(partner_a):
    # Deleting the initiative would erase who submitted and published it: archive it instead.
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)

    with pytest.raises(ProtectedError):
        initiative.delete()

    assert StatusChange.objects.filter(initiative=initiative).count() == 2


@pytest.mark.django_db
def test_the_admin_shows_the_audit_trail_on_the_initiative(admin_client, partner_a, editor):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)
    workflow.request_changes(initiative, editor, "Needs sources.")

    content = admin_client.get(
        reverse("admin:catalogue_initiative_change", args=[initiative.pk])
    ).content.decode()

    assert "Needs sources." in content
    assert StatusChange.objects.filter(initiative=initiative).count() == 3


@pytest.mark.django_db
def test_a_case_titled_removed_does_not_get_the_address_of_the_removed_list(partner_a, submission_post):
    # /api/v1/initiatives/removed/ lists removals; an initiative slugged "removed" would be
    # unreachable behind it.
    client = Client()
    client.force_login(partner_a)

    client.post(reverse("submissions:create"), submission_post(title="Removed"))

    assert Initiative.objects.get().slug == "removed-2"


@pytest.mark.django_db
def test_the_admin_refuses_the_reserved_slug(admin_client, partner_a):
    initiative = factories.make_submission(partner_a, status=Status.DRAFT)
    data = admin_change_form_data(admin_client, initiative, slug="removed")

    response = admin_client.post(reverse("admin:catalogue_initiative_change", args=[initiative.pk]), data)

    assert response.status_code == 200  # the form again, with the error
    assert "is reserved" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.slug != "removed"


@pytest.mark.django_db
def test_possible_duplicates_list_at_most_ten_similar_titles_most_alike_first(partner_a):
    # Every similar title used to be listed, each found by comparing the new title with every
    # published one in Python; now the database ranks them (pg_trgm on PostgreSQL, see
    # catalogue/search.py) and the review page shows the closest ten.
    for n in range(12):
        factories.make_initiative(title=f"Reading Buddy for rural schools in region {n:02}")
    closest = factories.make_initiative(title="Reading Buddy for rural school")
    draft = factories.make_submission(partner_a, title="Reading Buddy for rural schools")

    duplicates = list(Initiative.objects.possible_duplicates_of(draft))

    assert len(duplicates) == 10
    assert closest in duplicates
