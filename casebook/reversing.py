"""`reverse()` remembered: a page reverses the same few dozen names every time.

A case page reversed 44 URLs per request (the navigation, the language form, its sectors',
technologies' and sources' links), at 30-70 µs each: about a tenth of the page's Python.
The answer depends only on the name, the arguments, the current application, the URLconf and
the script prefix (the site has no language prefixes), all of which are in the key, so a
remembered answer is the one Django would give. `{% url %}` uses it too (template_builtins).
"""

import functools

from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse


def reverse(viewname, args=None, kwargs=None, current_app=None):
    """Django's reverse(), remembered (an argument that cannot be a key is not remembered)."""
    try:
        key = (
            viewname,
            tuple(args or ()),
            tuple(sorted((kwargs or {}).items())),
            current_app,
            get_urlconf(),
            get_script_prefix(),
        )
        hash(key)
    except TypeError:
        return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    return _reversed(key)


@functools.lru_cache(maxsize=8192)
def _reversed(key):
    viewname, args, kwargs, current_app, urlconf, _prefix = key
    return django_reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)
