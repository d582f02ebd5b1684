"""Texts the service itself wrote into a ticket's events, shown in the reader's language.

Some actions store a sentence in an event (a status reason "Sent by the request catalogue.", a reply
"Merged into INC0000012: …"), translated into the language of whoever did it, or of the worker that ran it.
The events are never rewritten; instead, a stored text that is one of these sentences (in any of the
service's languages) is recognised when it is shown, its facts (a person, a ticket number) taken out of
it, and the sentence said again in the reader's language. Any other text (what a person wrote) is shown
as it was written.
"""

import functools
import re

from django.conf import settings
from django.utils.translation import gettext, override
from django.utils.translation import gettext_noop as noop

# The sentences (msgids) the service stores in ticket events; each is recognised in every language.
SERVICE_SENTENCES = (
    noop("Sent by the request catalogue."),
    noop("Waiting for the approval of %(person)s."),
    noop("%(person)s asks for %(item)s; approve or reject it on the ticket's page."),
    noop("Approved by %(person)s."),
    noop("Rejected by %(person)s: %(reason)s"),
    noop("Fulfilment task done: %(task)s"),
    noop("The next update to the customer was due at %(at)s UTC."),
    noop("Handover at the end of the shift of %(team)s: %(note)s"),
    noop("Merged into %(survivor)s: %(reason)s"),
    noop("%(duplicate)s was merged into this ticket: %(reason)s"),
)
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])|%%")


def _pattern(sentence: str) -> re.Pattern:
    """The sentence as a regular expression whose named groups are its placeholders."""
    parts, end = [], 0
    for found in PLACEHOLDER.finditer(sentence):
        parts.append(re.escape(sentence[end : found.start()]))
        if found.group(0) == "%%":
            parts.append("%")
        else:
            name, kind = found.groups()
            parts.append(rf"(?P<{name}>\d+)" if kind == "d" else rf"(?P<{name}>.+?)")
        end = found.end()
    parts.append(re.escape(sentence[end:]))
    return re.compile("".join(parts), re.DOTALL)


@functools.cache
def _recognisers() -> tuple[tuple[str, tuple[re.Pattern, ...]], ...]:
    """Per sentence, its patterns in every language of the service."""
    recognisers = []
    for sentence in SERVICE_SENTENCES:
        forms = {sentence}
        for code, _name in settings.LANGUAGES:
            with override(code):
                forms.add(gettext(sentence))
        recognisers.append((sentence, tuple(_pattern(form) for form in sorted(forms))))
    return tuple(recognisers)


def in_readers_language(text: str) -> str:
    """``text`` in the active language when the service wrote it; else as it is."""
    if not text:
        return text
    # "Approved by X." may be followed by the approver's own words, which stay as written.
    for sentence, patterns in _recognisers():
        for pattern in patterns:
            found = pattern.fullmatch(text) or (pattern.match(text) if sentence == "Approved by %(person)s." else None)
            if found is None:
                continue
            facts = {
                name: int(value) if value.isdigit() and f"%({name})d" in sentence else value
                for name, value in found.groupdict().items()
            }
            said = gettext(sentence) % facts
            rest = text[found.end() :]
            return said + rest
    return text
