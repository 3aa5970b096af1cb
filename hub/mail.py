"""Mail about memberships and experience reports: the applicant hears of each decision, a
member of each message another member sends them, editors of each report to moderate and its
author of their decision. Queued through the workflow's mail path (outbox), in the
recipient's language: a mail server that is down delays the mail, never a decision."""

from casebook.site import site_url
from workflow.notifications import editors, send


def tell_of_decision(membership):
    context = {"membership": membership, "site_url": site_url()}
    if membership.user.email:
        send("hub/email/decision", context, membership.user)


def pass_on(message):
    """Mail `message` to its recipient: the sender's organisation, role and country, never
    their address; the reply link leads to the site."""
    context = {"message": message, "sender": message.sender_membership, "site_url": site_url()}
    if message.recipient.email:
        send("hub/email/message", context, message.recipient)


def tell_editors_of_report(report):
    """A new experience report waits for moderation: a notice to each editor (one mail each,
    so no one sees another's address). It names the case and links to the report, never
    quotes it: mail leaves the site."""
    context = {"report": report, "site_url": site_url()}
    for editor in editors().exclude(pk=report.author_id).exclude(email=""):
        send("hub/email/report_to_editors", context, editor)


def tell_of_moderation(report):
    context = {"report": report, "site_url": site_url()}
    if report.author.email:
        send("hub/email/report_decision", context, report.author)
