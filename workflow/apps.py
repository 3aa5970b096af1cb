from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    """Submissions and review: the partner's drafts, the editor's decisions, the state machine
    between them (transitions.py) and the mail it sends."""

    name = "workflow"
    verbose_name = _("Submissions and review")

    def ready(self):
        from casebook import site  # noqa: F401 (registers the SITE_URL deployment check)
