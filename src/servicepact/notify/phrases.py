"""Words the service writes into a notice, kept as facts until they are rendered for one recipient.

An action knows what happened (``assigned to %(team)s``, the team) but not in which language each person
reads; a ``Phrase`` keeps the message and its values, and becomes text only when ``str()`` is called under
the recipient's ``translation.override``. The message is a lazy translation (``gettext_lazy`` or
``pgettext_lazy``, so that makemessages finds it) or a plain string used as it is (a frame such as
``"%(number)s %(title)s: %(what)s"``); values may be phrases or lazy translations themselves (a status or
a clock's name), rendered in the same language. A person's own words (a reply) stay plain strings.
"""

from typing import Any

from django.utils.functional import Promise


class Phrase:
    def __init__(self, message: str | Promise, /, **values: Any):
        self.message = message
        self.values = values

    def __str__(self) -> str:
        template = str(self.message)
        if not self.values:
            return template
        return template % {name: rendered(value) for name, value in self.values.items()}

    def __repr__(self) -> str:
        return f"Phrase({self.message!r}, **{self.values!r})"


def rendered(value: Any) -> Any:
    """A phrase or a lazy translation as text in the active language; any other value as it is."""
    return str(value) if isinstance(value, Phrase | Promise) else value
