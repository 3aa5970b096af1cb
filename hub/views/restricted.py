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
from workflow.transitions import TransitionNotAllowed, is_editor
from workflow.views.review import EditorRequiredMixin

from .. import cases, mail
from ..forms import CaseRestrictionForm, ExperienceReportForm, ModerationForm, RestrictedPartForm
from ..models import AccessRecord, ExperienceReport, MembersOnlyCase, NotPending, RestrictedPart
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
        restriction = MembersOnlyCase.objects.select_related("community").filter(initiative=self.initiative)
        return super().get_context_data(
            initiative=self.initiative,
            parts=parts,
            restriction=restriction.first(),
            restriction_form=kwargs.pop("restriction_form", None) or CaseRestrictionForm(),
            **kwargs,
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        form.instance.initiative = self.initiative
        form.instance.written_by = self.request.user
        form.save()
        messages.success(self.request, _("The members-only part is saved."))
        return redirect("hub:restricted-part-list", slug=self.initiative.slug)


class CaseRestrictionView(RestrictedPartListView):
    """The whole case restricted to a community's members, or published to everyone again
    (hub/cases.py: the workflow's steps, in the case's history). A step its status does not
    allow (a draft, say) answers 409 with the reason; a restriction without a community 400."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = None
        form = CaseRestrictionForm(request.POST)
        if not form.is_valid():
            return self.answer(form, status=400)
        data = form.cleaned_data
        try:
            if data["action"] == "restrict":
                cases.restrict(self.initiative, data["community"], request.user, data["note"])
                done = _("The case is now read by the members of %(community)s only.") % {
                    "community": data["community"].name
                }
            else:
                cases.open_to_everyone(self.initiative, request.user, data["note"])
                done = _("The case is published for everyone.")
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
            return self.answer(form, status=409)
        messages.success(request, done)
        return redirect("hub:restricted-part-list", slug=self.initiative.slug)

    def answer(self, form, status):
        # The page again, with this form's errors; the part's form empty, not bound to this POST.
        context = self.get_context_data(restriction_form=form, form=RestrictedPartForm())
        return self.render_to_response(context, status=status)


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
        # A members-only case too, for the members who read it.
        return get_object_or_404(Initiative.objects.readable_by(self.request.user), slug=self.kwargs["slug"])

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


# --- Members-only cases (members) -------------------------------------------------------------


class MembersOnlyCaseListView(MemberRequiredMixin, ListView):
    """The cases restricted to the visitor's communities, which no public list shows."""

    template_name = "hub/members_only_cases.html"
    context_object_name = "cases"
    paginate_by = 50

    def get_queryset(self):
        return MembersOnlyCase.objects.readable_by(self.request.user).for_listing()


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
