"""Mail about submissions: editors hear of each submitted or resubmitted case, the partner
gets a receipt, and the partner hears of each decision (transitions.notify_partner). Each
person chooses on their profile: each mail, a daily digest (`send_digests`, run by the worker),
or none. Comments in a submission's conversation reach the other side the same way. Each mail
is written in its recipient's language (their profile's). All of it is queued (outbox.mail): a
mail server that is down delays mail, never a submission."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from casebook.site import site_url
from catalogue.models import Initiative, PartnerProfile, StatusChange, SubmissionComment
from outbox.mail import queue_mail

Mail = PartnerProfile.SubmissionMail
Status = Initiative.Status


def wants(user, preference):
    """Whether `user` chose `preference`; an account without a profile gets each mail."""
    profile = getattr(user, "partner_profile", None)
    return (profile.submission_mail if profile else Mail.EACH) == preference


def editors():
    """The accounts `transitions.is_editor` says yes to, as a query: active staff,
    superusers, and holders of the review permission (the Editors group)."""
    review = Permission.objects.filter(codename="review_initiative", content_type__app_label="catalogue")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(groups__permissions__in=review)
            | Q(user_permissions__in=review)
        )
        .distinct()
    )


def language_of(user):
    """The language `user` reads mail in: their profile's, else the site's default."""
    profile = getattr(user, "partner_profile", None)
    return profile.language if profile and profile.language else settings.LANGUAGE_CODE


def send(template, context, user):
    """Queue the mail `template` (with its `_subject`) to `user`, in their language."""
    with translation.override(language_of(user)):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    queue_mail(subject, body, [user.email])


def tell_of_submission(change, base_url):
    """A submission reached the editors: a notice to each editor who wants each mail (one
    mail each, so no one sees another's address) and a receipt to the partner."""
    initiative = change.initiative
    partner = initiative.submitted_by
    context = {
        "initiative": initiative,
        "partner": partner,
        "resubmitted": change.from_status == Status.CHANGES_REQUESTED,
        "site_url": base_url,
    }
    recipients = (
        editors()
        .exclude(pk=initiative.submitted_by_id)
        .exclude(email="")
        .exclude(partner_profile__submission_mail__in=[Mail.DIGEST, Mail.NONE])
    )
    for editor in recipients.select_related("partner_profile"):
        send("submissions/email/to_editors", context, editor)
    if partner is not None and partner.email and wants(partner, Mail.EACH):
        send("submissions/email/received", context, partner)


def comment_recipients(comment):
    """Who hears of a comment: an editor's reaches the partner who submitted the case; a
    partner's reaches the editor who has claimed it, or, when nobody has, every editor."""
    initiative = comment.initiative
    if comment.by_editor:
        people = [initiative.submitted_by] if initiative.submitted_by else []
    elif initiative.claimed_by:
        people = [initiative.claimed_by]
    else:
        people = list(editors().select_related("partner_profile"))
    return [person for person in people if person.pk != comment.author_id and person.email]


def tell_of_comment(comment, base_url):
    """Mail a new comment to the other side, to each who wants each mail (the digest carries
    it to those who chose that)."""
    context = {"comment": comment, "initiative": comment.initiative, "site_url": base_url}
    template = (
        "submissions/email/comment_to_partner"
        if comment.by_editor
        else "submissions/email/comment_to_editors"
    )
    for person in comment_recipients(comment):
        if wants(person, Mail.EACH):
            send(template, context, person)


# --- The daily digest ---------------------------------------------------------------------------

DIGEST_PERIOD = timedelta(days=1)


@task()
def send_digests():
    """Mail each person who chose the digest what happened since their last one (the first
    one: a day back): for editors, the cases submitted or resubmitted; for partners, the receipts
    and decisions on their own submissions. Nothing new, no mail. Returns the mails queued."""
    now = timezone.now()
    editor_ids = set(editors().values_list("pk", flat=True))
    sent = 0
    for profile in PartnerProfile.objects.filter(submission_mail=Mail.DIGEST).select_related("user"):
        user = profile.user
        since = profile.digest_sent_at or now - DIGEST_PERIOD
        changes = StatusChange.objects.filter(created_at__gt=since, created_at__lte=now)
        changes = changes.select_related("initiative")
        to_review = []
        if user.pk in editor_ids:
            submitted = changes.filter(to_status=Status.SUBMITTED)
            to_review = list(submitted.exclude(initiative__submitted_by=user))
        own = list(
            changes.filter(initiative__submitted_by=user).filter(
                Q(to_status=Status.SUBMITTED)
                | Q(from_status=Status.SUBMITTED, to_status__in=StatusChange.REVIEW_OUTCOMES)
            )
        )
        comments = digest_comments(user, user.pk in editor_ids, since, now)
        if user.email and (to_review or own or comments):
            context = {
                "user": user,
                "to_review": to_review,
                "own": own,
                "comments": comments,
                "site_url": site_url(),
            }
            send("submissions/email/digest", context, user)
            sent += 1
        profile.digest_sent_at = now
        profile.save(update_fields=["digest_sent_at"])
    return sent


def digest_comments(user, is_editor, since, now):
    """The comments a digest carries: for a partner, the editors' on their submissions; for
    an editor, partners' on the submissions they have claimed or nobody has."""
    comments = SubmissionComment.objects.filter(created_at__gt=since, created_at__lte=now).exclude(
        author=user
    )
    mine = Q(by_editor=True, initiative__submitted_by=user)
    if is_editor:
        mine |= Q(by_editor=False) & (Q(initiative__claimed_by=user) | Q(initiative__claimed_by__isnull=True))
    return list(comments.filter(mine).select_related("initiative"))
