"""Mail about memberships: the applicant hears of each decision, a member of each message
another member sends them. Queued through the workflow's mail path (outbox), in the
recipient's language: a mail server that is down delays the mail, never a decision."""

from casebook.site import site_url
from workflow.notifications import send


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
