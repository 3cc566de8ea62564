"""The one base of every refused change: :class:`Refusal`.

A model method that changes state raises a subclass of :class:`Refusal` when
the current state does not allow the change (a sign-up already cancelled, a
pledge withdrawn meanwhile, a story that cannot go from one status to
another). Its ``message`` is written for the person concerned, already in
their language, so views and the admin catch ``Refusal`` and show the message
as it is, whatever part of the site refused.

Nothing was changed when a refusal is raised: the methods check before they
write, inside their transaction.
"""


class Refusal(Exception):
    """A refused change; ``message`` says why, in words for the person concerned."""

    def __init__(self, message, *args, **kwargs):
        super().__init__(message, *args, **kwargs)
        self.message = message
