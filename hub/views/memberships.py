"""The members' tier: communities and applying to them, the editors' vetting queue, and the
member directory with contact through the site."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import CreateView, DetailView, ListView
from django_filters.views import FilterView

from accounts.limits import count as count_for_limit
from workflow.views.review import EditorRequiredMixin

from .. import mail
from ..forms import ApplicationForm, ContactForm, DecisionForm, MemberFilterSet, MembershipQueueFilterSet
from ..models import AlreadyApplied, Community, ContactMessage, Membership, NotPending

# --- Communities and applying ----------------------------------------------------------------


class CommunityListView(ListView):
    model = Community
    template_name = "hub/community_list.html"
    context_object_name = "communities"


class CommunityDetailView(DetailView):
    """What the community is, who may join, and where the visitor stands: a sign-in link,
    the application form, their application waiting, or their membership and its end."""

    model = Community
    template_name = "hub/community_detail.html"
    context_object_name = "community"

    def get_context_data(self, **kwargs):
        mine = Membership.objects.of(self.request.user).filter(community=self.object)
        latest = mine.first()
        return super().get_context_data(
            membership=mine.active().first(),
            latest=latest,
            form=kwargs.pop("form", None) or ApplicationForm(),
            **kwargs,
        )


class ApplyView(LoginRequiredMixin, CreateView):
    """The application form (also linked from the profile). A second application while one
    is open is refused with a 409 and a plain message."""

    form_class = ApplicationForm
    template_name = "hub/apply.html"

    def dispatch(self, request, *args, **kwargs):
        self.community = get_object_or_404(Community, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.community, **kwargs)

    def form_valid(self, form):
        try:
            Membership.apply(self.request.user, self.community, **form.cleaned_data)
        except AlreadyApplied:
            form.add_error(
                None, _("You already have an application waiting or a membership of this community.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(
            self.request, _("Your application is sent. The editors will tell you their decision by mail.")
        )
        return redirect("accounts:profile")


# --- Vetting (editors) ------------------------------------------------------------------------


class MembershipQueueView(EditorRequiredMixin, FilterView):
    template_name = "hub/membership_queue.html"
    filterset_class = MembershipQueueFilterSet
    queryset = Membership.objects.for_queue()
    context_object_name = "memberships"
    paginate_by = 50


class MembershipReviewView(EditorRequiredMixin, DetailView):
    """An application (or a membership) and the decision form: approve or refuse with a
    note, or revoke. A decision that lost to another editor's answers 409."""

    template_name = "hub/membership_review.html"
    queryset = Membership.objects.for_queue()
    context_object_name = "membership"

    def get_context_data(self, **kwargs):
        others = Membership.objects.filter(user=self.object.user).exclude(pk=self.object.pk)
        return super().get_context_data(
            form=kwargs.pop("form", None) or DecisionForm(membership=self.object),
            others=others.for_profile(),
            **kwargs,
        )

    def post(self, request, pk):
        self.object = membership = self.get_object()
        if membership.user_id == request.user.pk:
            # Vetting is done by someone else: an editor who applies is vetted like anyone.
            raise PermissionDenied(_("Another editor decides on your own application."))
        form = DecisionForm(request.POST, membership=membership)
        if form.is_stale():
            return self.conflict()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            membership.decide(request.user, form.cleaned_data["decision"], form.cleaned_data["note"])
        except NotPending:
            return self.conflict()
        mail.tell_of_decision(membership)
        messages.success(
            request,
            _("%(person)s: %(status)s; they have been emailed.")
            % {"person": membership.user.email, "status": membership.get_status_display().lower()},
        )
        return redirect("hub:membership-queue")

    def conflict(self):
        messages.warning(self.request, _("Another editor has decided this already; here is where it stands."))
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(), status=409)


# --- The member directory and contact ---------------------------------------------------------


class MemberRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous visitors are sent to sign in; signed-in people who are not active members
    get a 403 page that says why and how to join."""

    def test_func(self):
        self.membership = (
            Membership.objects.of(self.request.user).active().select_related("community").first()
        )
        return self.membership is not None

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            context = {"communities": Community.objects.all()}
            return TemplateResponse(self.request, "hub/members_only.html", context, status=403)
        return super().handle_no_permission()


class MemberDirectoryView(MemberRequiredMixin, FilterView):
    template_name = "hub/member_directory.html"
    filterset_class = MemberFilterSet
    context_object_name = "members"
    paginate_by = 50

    def get_queryset(self):
        communities = Membership.objects.of(self.request.user).active().values("community")
        return Membership.objects.in_directory().filter(community__in=communities)


class ContactView(MemberRequiredMixin, CreateView):
    """Write to a listed member (or answer a message) through the site: the mail carries
    neither address. Limited to HUB_MESSAGES_PER_HOUR per sender; over it, a 429 that says
    how long to wait."""

    form_class = ContactForm
    template_name = "hub/contact.html"

    def get_recipient(self):
        """The membership written to: a listed member who shares a community with the sender."""
        communities = Membership.objects.of(self.request.user).active().values("community")
        listed = Membership.objects.in_directory().filter(community__in=communities)
        recipient = get_object_or_404(listed.exclude(user=self.request.user), pk=self.kwargs["pk"])
        self.membership = self.sender_membership(recipient.community_id)
        return recipient

    def sender_membership(self, community_id):
        """The sender's membership of the community the two share, shown to the recipient."""
        membership = (
            Membership.objects.of(self.request.user).active().filter(community_id=community_id).first()
        )
        if membership is None:
            raise PermissionDenied(_("You are no longer a member of this community."))
        return membership

    def get_context_data(self, **kwargs):
        return super().get_context_data(recipient=self.recipient, **kwargs)

    def get(self, request, *args, **kwargs):
        self.recipient = self.get_recipient()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.recipient = self.get_recipient()
        return super().post(request, *args, **kwargs)

    def recipient_user(self):
        return self.recipient.user

    def form_valid(self, form):
        wait = count_for_limit("hub-message", str(self.request.user.pk), settings.HUB_MESSAGES_PER_HOUR)
        if wait is not None:
            minutes = max(1, round(wait / 60))
            form.add_error(
                None,
                ngettext(
                    "You have sent the most messages allowed in an hour. Please try again in a minute.",
                    "You have sent the most messages allowed in an hour. "
                    "Please try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        message = form.save(commit=False)
        message.sender = self.request.user
        message.sender_membership = self.membership
        message.recipient = self.recipient_user()
        message.in_reply_to = getattr(self, "answered", None)
        message.save()
        mail.pass_on(message)
        messages.success(self.request, _("Your message is sent. Your address was not shown."))
        return redirect("hub:member-directory")


class ReplyView(ContactView):
    """Answer a message received: it goes to its sender, listed in the directory or not (they
    wrote first), as long as both are still members."""

    template_name = "hub/reply.html"

    def get_recipient(self):
        self.answered = get_object_or_404(
            ContactMessage.objects.select_related("sender_membership"),
            pk=self.kwargs["pk"],
            recipient=self.request.user,
        )
        sender = self.answered.sender_membership
        if not Membership.objects.filter(pk=sender.pk).active().exists():
            raise PermissionDenied(_("The member who wrote to you is no longer a member."))
        self.membership = self.sender_membership(sender.community_id)
        return sender

    def get_context_data(self, **kwargs):
        return super().get_context_data(answered=self.answered, **kwargs)
