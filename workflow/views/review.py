"""Editors' pages: the review queue, and a review page to publish, request changes or reject."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from catalogue.models import Initiative

from .. import transitions
from ..filters import ReviewQueueFilterSet
from ..forms import ClaimForm, DuplicateForm, ReviewDecisionForm


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
