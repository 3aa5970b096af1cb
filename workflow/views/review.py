"""Editors' pages: the review queue, and a review page to correct the submission, talk with
the partner, claim it, and publish, request changes or reject."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from catalogue.models import Initiative

from .. import transitions
from ..filters import ReviewQueueFilterSet
from ..forms import ClaimForm, CommentForm, DuplicateForm, ReviewDecisionForm, SubmissionEditForm
from .conversation import post_comment


class EditorRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous visitors are sent to sign in; signed-in non-editors get a 403."""

    def test_func(self):
        return transitions.is_editor(self.request.user)


class ReviewQueueView(EditorRequiredMixin, FilterView):
    template_name = "review/queue.html"
    filterset_class = ReviewQueueFilterSet
    queryset = Initiative.objects.review_queue()
    context_object_name = "submissions"
    paginate_by = 50


class ReviewDetailView(EditorRequiredMixin, DetailView):
    """The submission as it will look when published, what changed since the last review,
    its history, and the decision form."""

    template_name = "review/detail.html"
    context_object_name = "initiative"
    queryset = Initiative.objects.for_submission()

    def get_context_data(self, **kwargs):
        initiative = self.object
        duplicates = list(Initiative.objects.possible_duplicates_of(initiative))
        return super().get_context_data(
            changes=transitions.changes_since_last_review(initiative),
            duplicates=duplicates,
            duplicate_form=kwargs.pop("duplicate_form", None) or DuplicateForm(similar=duplicates),
            claim_form=kwargs.pop("claim_form", None) or ClaimForm(),
            history=initiative.status_changes.select_related("actor"),
            decision_form=kwargs.pop("decision_form", None) or ReviewDecisionForm(),
            edit_form=kwargs.pop("edit_form", None) or SubmissionEditForm(initiative=initiative),
            comment_form=kwargs.pop("comment_form", None) or CommentForm(),
            conversation=initiative.comments.all(),  # prefetched by for_submission()
            edits=initiative.editor_edits.all(),
            **kwargs,
        )

    def post(self, request, pk):
        self.object = self.get_object()
        form = ReviewDecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(decision_form=form))
        try:
            change = form.decide(self.object, request.user)
        except transitions.TransitionNotAllowed as error:
            messages.warning(request, str(error))
            return redirect("review:detail", pk=pk)
        messages.success(
            request,
            _("“%(title)s” is now %(status)s; the partner has been emailed.")
            % {"title": self.object.title, "status": change.get_to_status_display().lower()},
        )
        return redirect("review:queue")


class MarkDuplicateView(ReviewDetailView):
    """Close a submission as a duplicate of a published case; a wrong case shows the review
    page again with the error."""

    http_method_names = ["post"]

    def post(self, request, pk):
        self.object = self.get_object()
        form = DuplicateForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(duplicate_form=form))
        try:
            form.close(self.object, request.user)
        except transitions.TransitionNotAllowed as error:
            messages.warning(request, str(error))
            return redirect("review:detail", pk=pk)
        messages.success(
            request,
            _("“%(title)s” is closed as a duplicate of “%(original)s”; the partner has been emailed.")
            % {"title": self.object.title, "original": form.cleaned_data["original"].title},
        )
        return redirect("review:queue")


class ClaimView(ReviewDetailView):
    """Claim a submission, take it over, or assign it to another editor. A claim that lost to
    another editor's shows the review page again (409) saying who has it."""

    http_method_names = ["post"]

    def post(self, request, pk):
        self.object = self.get_object()
        form = ClaimForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(claim_form=form))
        try:
            form.claim(self.object, request.user)
        except transitions.ClaimTaken as error:
            messages.warning(request, str(error))
            self.object = self.get_object()  # with the editor who has it now
            return self.render_to_response(self.get_context_data(), status=409)
        except transitions.TransitionNotAllowed as error:
            messages.warning(request, str(error))
            return redirect("review:detail", pk=pk)
        editor = form.cleaned_data["editor"] or request.user
        messages.success(
            request,
            _("“%(title)s” is now with %(editor)s.") % {"title": self.object.title, "editor": editor.email},
        )
        return redirect("review:detail", pk=pk)


class ReleaseView(ReviewDetailView):
    """Give up one's claim on a submission: it is free for any editor again."""

    http_method_names = ["post"]

    def post(self, request, pk):
        self.object = self.get_object()
        if transitions.release(self.object, request.user):
            messages.success(
                request,
                _("You released “%(title)s”: any editor can claim it.") % {"title": self.object.title},
            )
        else:
            messages.warning(request, _("You no longer hold this submission; nothing was released."))
        return redirect("review:detail", pk=pk)


class EditSubmissionView(ReviewDetailView):
    """Save an editor's corrections. An edit made from a page older than the submission's
    content is refused (409) and the page shows the content as it is now."""

    http_method_names = ["post"]

    def post(self, request, pk):
        self.object = self.get_object()
        form = SubmissionEditForm(request.POST, initiative=self.object)
        try:
            # A form from an older page may lack a field the submission has now: that is a
            # conflict to explain, not a missing field.
            if form.is_stale():
                raise transitions.EditConflict()
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(edit_form=form), status=400)
            edits = form.save(self.object, request.user)
        except transitions.EditConflict as error:
            messages.warning(request, str(error))
            self.object = self.get_object()  # as it is now
            return self.render_to_response(self.get_context_data(), status=409)
        except transitions.TransitionNotAllowed as error:
            messages.warning(request, str(error))
            return redirect("review:detail", pk=pk)
        if edits:
            fields = ", ".join(str(edit.get_field_display()) for edit in edits)
            messages.success(
                request, _("Saved: %(fields)s. The partner sees each change.") % {"fields": fields}
            )
        else:
            messages.info(request, _("Nothing was different; nothing was saved."))
        return redirect("review:detail", pk=pk)


class CommentView(ReviewDetailView):
    """Add an editor's comment to the conversation; the partner is told."""

    http_method_names = ["post"]

    def post(self, request, pk):
        self.object = self.get_object()
        return post_comment(
            self, request, by_editor=True, told=_("Your comment is added; the partner is told.")
        )
