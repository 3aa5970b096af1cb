"""Django's template engine, with `{% load i18n %}` loading casebook.remembered_i18n.

The override is deliberate, so the engine's check for two tag modules of one name (which
Django's own check would report for `i18n`) allows exactly this one and still reports any
other."""

from collections import defaultdict

from django.core.checks import Warning
from django.template.backends import django as django_backend

# Library name: (Django's module, the module that replaces it).
REPLACED_LIBRARIES = {"i18n": ("django.templatetags.i18n", "casebook.remembered_i18n")}


class DjangoTemplates(django_backend.DjangoTemplates):
    def get_templatetag_libraries(self, custom_libraries):
        replaced = {name: ours for name, (_django, ours) in REPLACED_LIBRARIES.items()}
        return super().get_templatetag_libraries({**custom_libraries, **replaced})

    def _check_for_template_tags_with_the_same_name(self):
        # As Django's check (templates.W003), less the replacements above.
        libraries = defaultdict(set)
        for name, path in [*django_backend.get_template_tag_modules(), *self.engine.libraries.items()]:
            if REPLACED_LIBRARIES.get(name, ())[:1] != (path,):
                libraries[name].add(path)
        return [
            Warning(
                f"{name!r} is used for multiple template tag modules: {', '.join(map(repr, sorted(paths)))}",
                obj=self,
                id="templates.W003",
            )
            for name, paths in libraries.items()
            if len(paths) > 1
        ]
