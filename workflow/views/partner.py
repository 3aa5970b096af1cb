"""Partners' pages: propose an initiative, list their submissions, edit and submit them.

Every view looks records up through `Initiative.objects.for_partner(user)`: another
partner's submission is a 404, as if it did not exist.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from catalogue.models import Initiative

from .. import transitions
from ..forms import CommentForm, SubmissionForms
from .conversation import post_comment


class PartnerSubmissionMixin(LoginRequiredMixin):
    def get_queryset(self):
        return Initiative.objects.for_partner(self.request.user)

    def get_submission(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class SubmissionListView(PartnerSubmissionMixin, ListView):
    template_name = "submissions/list.html"
    context_object_name = "submissions"

    def get_queryset(self):
        return super().get_queryset().for_submission_list()


class SubmissionDetailView(PartnerSubmissionMixin, DetailView):
    """A submission as the partner sees it: content, status, editors' notes and, before it
    is submitted, published initiatives it may duplicate."""

    template_name = "submissions/detail.html"
    context_object_name = "initiative"

    def get_queryset(self):
        return super().get_queryset().for_submission()

    def get_context_data(self, **kwargs):
        initiative = self.object
        editable = initiative.status in Initiative.PARTNER_EDITABLE
        return super().get_context_data(
            editable=editable,
            duplicates=Initiative.objects.possible_duplicates_of(initiative) if editable else [],
            history=initiative.status_changes.select_related("actor"),
            comment_form=kwargs.pop("comment_form", None) or CommentForm(),
            conversation=initiative.comments.all(),  # prefetched by for_submission()
            edits=initiative.editor_edits.all(),
            **kwargs,
        )

    def post(self, request, pk):
        """Answer in the conversation, without editing the case (any partner who may see it)."""
        self.object = self.get_submission()
        return post_comment(
            self, request, by_editor=False, told=_("Your comment is added; the editors are told.")
        )


class SubmissionFormView(PartnerSubmissionMixin, View):
    """/submit/ creates a draft; /submissions/<pk>/edit/ changes one the partner may edit.

    Each copy of the new-submission form has a key, in its address (`/submit/?key=…`) and in
    the form: a browser going Back may load the page again, and gets the same copy, so saving
    it again (or twice) changes the draft it created rather than make a second one.
    """

    template_name = "submissions/form.html"

    def get_initiative(self):
        if "pk" not in self.kwargs:
            return None
        initiative = self.get_submission()
        if initiative.status not in Initiative.PARTNER_EDITABLE:
            raise PermissionDenied(_("Only drafts and submissions sent back for changes can be edited."))
        return initiative

    def get(self, request, pk=None):
        initiative = self.get_initiative()
        if initiative is not None:
            return self.render(SubmissionForms(user=request.user, initiative=initiative), initiative)
        key = self.form_key()
        if key is None:
            query = request.GET.copy()  # keeps `additions_to`
            query["key"] = uuid.uuid4()
            return redirect(f"{request.path}?{query.urlencode()}")
        if (draft := transitions.draft_for_key(request.user, key)) is not None:
            # Back to a copy of the form that was saved: the draft it made, to edit.
            messages.info(request, _("You saved this form before; here is the draft it created."))
            editable = draft.status in Initiative.PARTNER_EDITABLE
            return redirect("submissions:edit" if editable else "submissions:detail", pk=draft.pk)
        forms = SubmissionForms(user=request.user, key=key)
        if original := self.additions_to():
            forms.form.initial.update(
                title=_("Additions to: %(title)s") % {"title": original.title},
                lead_organisation=original.lead_organisation_id,
                sectors=list(original.sectors.values_list("pk", flat=True)),
            )
        return self.render(forms, None, additions_to=original)

    def additions_to(self):
        """The published case a partner proposes additions to (`?additions_to=<slug>`, the link
        given when a submission is closed as its duplicate), or None."""
        slug = self.request.GET.get("additions_to")
        return Initiative.objects.published().filter(slug=slug).first() if slug else None

    def form_key(self):
        try:
            return uuid.UUID(self.request.GET.get("key", ""))
        except ValueError:
            return None

    def post(self, request, pk=None):
        initiative = self.get_initiative()
        forms = SubmissionForms(request.POST, user=request.user, initiative=initiative)
        if forms.redisplayed:  # a row added or a suggested name chosen: shown again, not saved
            return self.render(forms, initiative)
        autosave = wants_json(request)
        if not forms.is_valid():
            if autosave:
                return JsonResponse({"saved": False, "errors": forms.errors_as_json()}, status=400)
            return self.render(forms, initiative)
        try:
            if initiative is None:
                initiative, saved = transitions.save_form_copy(request.user, forms.content(), key=forms.key)
                transitions.link_additions(initiative, self.additions_to())
            else:
                initiative, saved = (
                    transitions.update_submission(initiative, request.user, forms.content()),
                    True,
                )
        except transitions.TransitionNotAllowed as error:
            if autosave:
                return JsonResponse(
                    {"saved": False, "errors": [{"field": None, "message": str(error)}]}, status=409
                )
            raise PermissionDenied(str(error)) from error
        if autosave:
            return autosaved(initiative, saved)
        if saved:
            messages.success(request, _("Your draft is saved. Check it below, then submit it for review."))
        else:
            messages.info(request, _("This form was already sent; here is the draft it created."))
        return redirect("submissions:detail", pk=initiative.pk)

    def render(self, forms, initiative, status=200, **extra):
        context = {"initiative": initiative, **forms.context(), **extra}
        return render(self.request, self.template_name, context, status=status)


def wants_json(request):
    """Whether a script sent the form (the autosave, asking for `application/json` only)
    rather than the browser's own navigation (which accepts HTML)."""
    return request.accepts("application/json") and not request.accepts("text/html")


def autosaved(initiative, saved):
    """The autosave's answer: where the draft is, to post the next saves to; a 409 when this
    copy of the form made a draft that has gone to the editors meanwhile."""
    if not saved:
        message = _("This form was already sent; its draft is with the editors.")
        return JsonResponse({"saved": False, "errors": [{"field": None, "message": message}]}, status=409)
    return JsonResponse(
        {
            "saved": True,
            "saved_at": timezone.now().isoformat(),
            "edit_url": reverse("submissions:edit", kwargs={"pk": initiative.pk}),
            "detail_url": reverse("submissions:detail", kwargs={"pk": initiative.pk}),
        }
    )


class SubmitForReviewView(PartnerSubmissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        initiative = self.get_submission()
        try:
            change = transitions.submit(initiative, request.user)
        except transitions.TransitionNotAllowed as error:
            raise PermissionDenied(
                _("Only drafts and submissions sent back for changes can be submitted.")
            ) from error
        except transitions.SubmissionRateExceeded as error:
            # Still a draft, saved: the partner submits it when the hour allows.
            messages.error(request, str(error))
            response = redirect("submissions:detail", pk=pk)
            response.status_code = 303
            return response
        if change is None:  # the same button pressed twice: the first press did it
            messages.info(request, _("This submission is already with the editors."))
        else:
            messages.success(request, _("Submitted. An editor will review it; you will get an email."))
        return redirect("submissions:detail", pk=pk)


class ConfirmedStepView(PartnerSubmissionMixin, TemplateView):
    """A step the partner confirms on a page of its own, so it works without JavaScript: the
    page asks (GET), its button takes the step (POST, with the CSRF token)."""

    template_name = "submissions/confirm.html"
    allowed_from = []

    def get_context_data(self, **kwargs):
        return super().get_context_data(initiative=self.initiative, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.initiative = self.get_submission()
        if self.initiative.status not in self.allowed_from:
            messages.warning(request, self.not_now)
            return redirect("submissions:detail", pk=self.initiative.pk)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        try:
            self.take_step()
        except transitions.TransitionNotAllowed:
            messages.warning(request, self.not_now)
            return redirect("submissions:detail", pk=pk)
        return self.done()


class WithdrawView(ConfirmedStepView):
    """Take a submission back from the editors before they decide."""

    allowed_from = [Initiative.Status.SUBMITTED]
    extra_context = {"step": "withdraw"}

    @property
    def not_now(self):
        return _("Only a submission the editors have not yet decided on can be withdrawn.")

    def take_step(self):
        transitions.withdraw(self.initiative, self.request.user)

    def done(self):
        messages.success(self.request, _("Withdrawn: it is a draft again, which you can change and submit."))
        return redirect("submissions:detail", pk=self.initiative.pk)


class DeleteDraftView(ConfirmedStepView):
    """Delete a draft (its record and history are kept, out of sight)."""

    allowed_from = [Initiative.Status.DRAFT]
    extra_context = {"step": "delete"}

    @property
    def not_now(self):
        return _("Only a draft can be deleted; withdraw a submission first.")

    def take_step(self):
        transitions.delete_draft(self.initiative, self.request.user)

    def done(self):
        title = self.initiative.title
        messages.success(self.request, _("The draft “%(title)s” is deleted.") % {"title": title})
        return redirect("submissions:list")
