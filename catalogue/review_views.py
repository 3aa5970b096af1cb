"""Editors' pages: the review queue, and a review page to publish, request changes or reject."""

import django_filters
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView
from django_filters.views import FilterView

from . import workflow
from .forms import ReviewDecisionForm, label_in_current_language
from .models import Initiative, Sector


class EditorRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous visitors are sent to sign in; signed-in non-editors get a 403."""

    def test_func(self):
        return workflow.is_editor(self.request.user)


class ReviewQueueFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=gettext_lazy("Search"))
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        label=gettext_lazy("Sector"),
    )
    partner = django_filters.CharFilter(
        field_name="submitted_by__email", lookup_expr="icontains", label=gettext_lazy("Partner's email")
    )
    proposes_organisation = django_filters.BooleanFilter(
        field_name="proposed_organisation",
        lookup_expr="isnull",
        exclude=True,
        label=gettext_lazy("Proposes a new organisation"),
    )

    class Meta:
        model = Initiative
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["sector"].field.label_from_instance = label_in_current_language

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))


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
        return super().get_context_data(
            changes=workflow.changes_since_last_review(initiative),
            duplicates=Initiative.objects.possible_duplicates_of(initiative),
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
        except workflow.TransitionNotAllowed as error:
            messages.warning(request, str(error))
            return redirect("review:detail", pk=pk)
        messages.success(
            request,
            _("“%(title)s” is now %(status)s; the partner has been emailed.")
            % {"title": self.object.title, "status": change.get_to_status_display().lower()},
        )
        return redirect("review:queue")
