"""Members-only content of records: the editors' pages for restricted parts, members'
experience reports and their moderation, and the access log."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django.views.generic.edit import DeleteView

from catalogue.models import Initiative
from workflow.transitions import is_editor
from workflow.views.review import EditorRequiredMixin

from .. import mail
from ..forms import ExperienceReportForm, ModerationForm, RestrictedPartForm
from ..models import AccessRecord, ExperienceReport, NotPending, RestrictedPart
from .memberships import MemberRequiredMixin

# --- Restricted parts (editors) ---------------------------------------------------------------


class RestrictedPartListView(EditorRequiredMixin, CreateView):
    """A record's members-only parts, and the form to add one."""

    form_class = RestrictedPartForm
    template_name = "hub/restricted_parts.html"

    @cached_property
    def initiative(self):
        # Looked up after the editor check, so others cannot tell which draft slugs exist.
        return get_object_or_404(Initiative, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        parts = RestrictedPart.objects.of(self.initiative).select_related("written_by")
        return super().get_context_data(initiative=self.initiative, parts=parts, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        form.instance.initiative = self.initiative
        form.instance.written_by = self.request.user
        form.save()
        messages.success(self.request, _("The members-only part is saved."))
        return redirect("hub:restricted-part-list", slug=self.initiative.slug)


class RestrictedPartEditView(EditorRequiredMixin, UpdateView):
    form_class = RestrictedPartForm
    template_name = "hub/restricted_part_edit.html"
    queryset = RestrictedPart.objects.select_related("initiative", "community")
    context_object_name = "part"

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        form.instance.written_by = self.request.user
        form.save()
        messages.success(self.request, _("The members-only part is saved."))
        return redirect("hub:restricted-part-list", slug=self.object.initiative.slug)


class RestrictedPartDeleteView(EditorRequiredMixin, DeleteView):
    queryset = RestrictedPart.objects.select_related("initiative")
    http_method_names = ["post"]

    def get_success_url(self):
        messages.success(self.request, _("The members-only part is deleted."))
        return self.object.initiative.get_absolute_url()


# --- Experience reports -----------------------------------------------------------------------


class ExperienceReportCreateView(MemberRequiredMixin, CreateView):
    """A member's report on a published case, under their membership's community; the
    editors hear of it by mail (queued: a mail outage never loses the report)."""

    form_class = ExperienceReportForm
    template_name = "hub/report_form.html"

    @cached_property
    def initiative(self):
        return get_object_or_404(Initiative.objects.published(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(initiative=self.initiative, membership=self.membership, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        report = form.save(commit=False)
        report.initiative = self.initiative
        report.author = self.request.user
        report.author_membership = self.membership
        report.community = self.membership.community
        report.save()
        mail.tell_editors_of_report(report)
        messages.success(
            self.request,
            _("Thank you. Your report is waiting for the editors; other members read it once approved."),
        )
        return redirect(self.initiative.get_absolute_url())


class ReportQueueView(EditorRequiredMixin, ListView):
    template_name = "hub/report_queue.html"
    queryset = ExperienceReport.objects.for_moderation().filter(status=ExperienceReport.Status.PENDING)
    context_object_name = "reports"
    paginate_by = 50


class ReportModerationView(EditorRequiredMixin, DetailView):
    """A report and the decision on it. A decision that lost to another editor's answers 409."""

    template_name = "hub/report_moderate.html"
    queryset = ExperienceReport.objects.for_moderation()
    context_object_name = "report"

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=kwargs.pop("form", None) or ModerationForm(), **kwargs)

    def post(self, request, pk):
        self.object = report = self.get_object()
        form = ModerationForm(request.POST)
        if report.status != ExperienceReport.Status.PENDING:
            return self.conflict()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            report.moderate(request.user, form.cleaned_data["decision"], form.cleaned_data["note"])
        except NotPending:
            return self.conflict()
        mail.tell_of_moderation(report)
        approved = report.status == ExperienceReport.Status.APPROVED
        messages.success(
            request,
            # Whole sentences: a status label lower-cased into one reads wrong in most languages.
            _("Report approved; the author has been emailed.")
            if approved
            else _("Report refused; the author has been emailed."),
        )
        return redirect("hub:report-queue")

    def conflict(self):
        messages.warning(self.request, _("Another editor has decided this already; here is where it stands."))
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(), status=409)


# --- The access log ---------------------------------------------------------------------------


class AccessLogView(LoginRequiredMixin, ListView):
    """Who read members-only text: a person sees their own readings, editors everyone's."""

    template_name = "hub/access_log.html"
    context_object_name = "records"
    paginate_by = 100

    def get_queryset(self):
        return AccessRecord.objects.seen_by(self.request.user).for_log()

    def get_context_data(self, **kwargs):
        return super().get_context_data(everyone=is_editor(self.request.user), **kwargs)
