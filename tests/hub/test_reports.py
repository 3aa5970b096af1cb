"""Experience reports: a member posts one on a case; editors hear of it by mail (queued, so a
mail outage loses nothing) and approve or refuse it with a note; only then do other members
of the author's community (or of every community, if the author chose) read it on the case
page."""

import html

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hub.models import ExperienceReport
from tests import factories
from tests.mailqueue import mail_server_back

pytestmark = pytest.mark.django_db

ANSWERS = {
    "where_used": "A cybercrime unit in Kenya",
    "used_for": "Sorting seized images before review.",
    "what_worked": "It put the likely victims first.",
    "what_did_not": "It needed a strong graphics card.",
}


@pytest.fixture
def case(db):
    return factories.make_initiative(slug="triage-tool", title="Triage tool")


def post_report(client, case, **answers):
    return client.post(reverse("hub:report-create", kwargs={"slug": case.slug}), {**ANSWERS, **answers})


def moderate(client, report, decision, note=""):
    return client.post(report.get_absolute_url(), {"decision": decision, "note": note})


def page_of(client, case):
    return client.get(case.get_absolute_url()).content.decode()


def test_a_member_posts_a_report_that_waits_for_the_editors(
    client_for, member, hub_editor, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(client_for(member), case)

    assert response.status_code == 302
    report = ExperienceReport.objects.get()
    assert (report.author, report.status, report.community.slug) == (
        member,
        "pending",
        "law-enforcement-and-child-protection-practitioners",
    )
    assert not report.shared_with_all_members
    [to_editor] = mail.outbox
    assert to_editor.to == ["vetting-editor@example.org"]
    assert report.get_absolute_url() in to_editor.body
    assert "likely victims" not in to_editor.body  # mail leaves the site: it links, never quotes


def test_a_pending_report_is_shown_to_its_author_only(client_for, member, peer, case):
    report = factories.make_experience_report(case, member, what_worked="The triage queue halved.")

    assert "The triage queue halved." in page_of(client_for(member), case)
    assert "Waiting for moderation" in page_of(client_for(member), case)
    assert "The triage queue halved." not in page_of(client_for(peer), case)
    assert report.status == "pending"


def test_an_approved_report_is_read_by_the_authors_community(
    client_for, member, peer, hub_editor, case, django_capture_on_commit_callbacks
):
    report = factories.make_experience_report(case, member, what_worked="The triage queue halved.")

    with django_capture_on_commit_callbacks(execute=True):
        response = moderate(client_for(hub_editor), report, "approve")

    assert response.status_code == 302
    assert "The triage queue halved." in page_of(client_for(peer), case)
    [to_author] = [m for m in mail.outbox if m.to == ["member@example.org"]]
    assert "Approved" in to_author.subject


@pytest.mark.parametrize("persona", ["anonymous", "partner", "applicant", "expired member", "revoked member"])
def test_an_approved_report_is_never_read_by_non_members(client_for, hub_personas, member, case, persona):
    factories.make_experience_report(case, member, status="approved", what_worked="The triage queue halved.")

    page = page_of(client_for(hub_personas[persona]), case)

    assert "The triage queue halved." not in page
    assert "More about this case is available to vetted members of:" in page


def test_a_report_stays_in_its_community_unless_its_author_shares_it(client_for, member, case):
    other = factories.make_community(slug="child-helplines")
    outsider = factories.make_partner("helpline@example.org")
    factories.make_membership(outsider, other, status="approved")
    factories.make_experience_report(case, member, status="approved", what_worked="Kept in the community.")
    factories.make_experience_report(
        case, member, status="approved", what_worked="Shared with all.", shared_with_all_members=True
    )

    page = page_of(client_for(outsider), case)

    assert "Shared with all." in page
    assert "Kept in the community." not in page


def test_a_refusal_needs_a_note_and_the_report_stays_hidden(
    client_for, member, peer, hub_editor, case, django_capture_on_commit_callbacks
):
    report = factories.make_experience_report(case, member, what_worked="Not for others.")
    client = client_for(hub_editor)

    response = moderate(client, report, "refuse")
    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    report.refresh_from_db()
    assert report.status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, report, "refuse", note="It names a victim.")
    report.refresh_from_db()
    assert (report.status, report.moderation_note, report.moderated_by) == (
        "refused",
        "It names a victim.",
        hub_editor,
    )
    assert "Not for others." not in page_of(client_for(peer), case)
    [to_author] = [m for m in mail.outbox if m.to == ["member@example.org"]]
    assert "It names a victim." in to_author.body


def test_the_second_of_two_editors_deciding_at_once_gets_a_409(client_for, member, hub_editor, case):
    other_editor = factories.make_editor("other-editor@example.org")
    report = factories.make_experience_report(case, member)
    stale = ExperienceReport.objects.get(pk=report.pk)
    moderate(client_for(hub_editor), report, "approve")

    response = moderate(client_for(other_editor), stale, "refuse", note="Too vague.")

    assert response.status_code == 409
    report.refresh_from_db()
    assert (report.status, report.moderated_by) == ("approved", hub_editor)


def test_a_report_missing_what_worked_is_a_form_error(client_for, member, case):
    response = post_report(client_for(member), case, what_worked="")

    assert response.status_code == 400
    assert response.context["form"].errors["what_worked"]
    assert not ExperienceReport.objects.exists()


def test_an_overlong_answer_is_a_form_error(client_for, member, case):
    response = post_report(client_for(member), case, used_for="x" * 5001)

    assert response.status_code == 400
    assert response.context["form"].errors["used_for"]


@pytest.mark.parametrize("persona", ["partner", "applicant", "expired member", "revoked member", "editor"])
def test_only_active_members_may_post_a_report(client_for, hub_personas, case, persona):
    response = post_report(client_for(hub_personas[persona]), case)

    assert response.status_code == 403
    assert not ExperienceReport.objects.exists()


def test_a_report_on_an_unpublished_case_is_not_found(client_for, member):
    draft = factories.make_initiative(status="draft")

    assert post_report(client_for(member), draft).status_code == 404


@pytest.mark.parametrize("persona", ["partner", "member", "expired member"])
def test_only_editors_moderate(client_for, hub_personas, member, case, persona):
    report = factories.make_experience_report(case, member)

    assert client_for(hub_personas[persona]).get(reverse("hub:report-queue")).status_code == 403
    assert moderate(client_for(hub_personas[persona]), report, "approve").status_code == 403
    report.refresh_from_db()
    assert report.status == "pending"


def test_the_queue_lists_reports_waiting_in_a_fixed_number_of_queries(
    client_for, member, hub_editor, case, django_assert_num_queries
):
    for _ in range(3):
        factories.make_experience_report(case, member)
    factories.make_experience_report(case, member, status="approved")
    client = client_for(hub_editor)

    # session, user, the editor check (2), the count (pagination), the reports with their
    # cases, communities, authors and memberships
    with django_assert_num_queries(6):
        response = client.get(reverse("hub:report-queue"))
    assert len(response.context["reports"]) == 3


@pytest.mark.usefixtures("database_queue", "mail_server_down")
def test_a_report_is_kept_while_the_mail_server_is_down_and_the_mail_follows(
    client_for, member, hub_editor, case, django_capture_on_commit_callbacks, run_worker, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(client_for(member), case)

    assert response.status_code == 302
    assert ExperienceReport.objects.get().status == "pending"
    assert DBTaskResult.objects.ready().count() == 1

    run_worker()
    assert mail.outbox == []
    mail_server_back(settings)
    run_worker(after_retry_delays=True)
    assert [message.to for message in mail.outbox] == [["vetting-editor@example.org"]]


@pytest.mark.parametrize(
    ("language", "decision", "said"),
    [
        ("en", "approve", "Report approved; the author has been emailed."),
        ("fr", "refuse", "Retour d'expérience refusé"),
        ("es", "approve", "Informe de experiencia aprobado"),
    ],
)
def test_the_editor_is_told_the_decision_in_a_whole_sentence(
    client_for, member, hub_editor, case, language, decision, said
):
    # A report is masculine in French and Spanish where an application is feminine: the
    # report's statuses and the message after moderating are words of their own, not a
    # membership's label lower-cased into a sentence.
    report = factories.make_experience_report(case, member)
    editor = client_for(hub_editor)
    editor.cookies["django_language"] = language

    response = editor.post(report.get_absolute_url(), {"decision": decision, "note": "Read."}, follow=True)

    assert said in html.unescape(response.content.decode())
