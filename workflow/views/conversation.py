"""Adding to a submission's conversation, the one way both sides do it: the partner from the
submission page, an editor from the review page."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .. import transitions
from ..forms import CommentForm


def post_comment(view, request, *, by_editor, told):
    """Add the comment the form holds to `view.object` and return to the conversation with
    `told` ("the editors are told"); a 400 with the form's errors for an empty one."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        return view.render_to_response(view.get_context_data(comment_form=form), status=400)
    try:
        form.add(view.object, request.user, by_editor=by_editor)
    except transitions.TransitionNotAllowed as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, told)
    page = "review:detail" if by_editor else "submissions:detail"
    return redirect(f"{reverse(page, args=[view.object.pk])}#conversation")
