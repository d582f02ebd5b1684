"""The survey forms: a score from 1 to 5 (radio buttons a person clicks) and an optional comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.availability.forms import LOCAL_FORMATS, LocalDateTimeInput

SCORE_CHOICES = [
    ("5", _("5 · very satisfied")),
    ("4", _("4 · satisfied")),
    ("3", _("3 · neither")),
    ("2", _("2 · dissatisfied")),
    ("1", _("1 · very dissatisfied")),
]


class AnswerForm(forms.Form):
    score = forms.ChoiceField(label=_("How satisfied are you?"), choices=SCORE_CHOICES, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What went well, what could be better (optional)."),
    )


class OpenRoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100, help_text=_("For example: 2026 Q4 review."))
    closes_at = forms.DateTimeField(label=_("Closes"), widget=LocalDateTimeInput(), input_formats=LOCAL_FORMATS)
