"""Forms of the contract pages: a version's text to register, a signature for one party.

They check shape only; whether the text is a contract, whose it is and who may sign are the actions'.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.contracts.actions import PARTIES, SOURCE_MAX


class VersionForm(forms.Form):
    source = forms.CharField(
        label=_("Contract text (YAML)"),
        max_length=SOURCE_MAX,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 28, "spellcheck": "false", "autocomplete": "off", "wrap": "off", "class": "source"}
        ),
        help_text=_("The version number and the effective dates are read from the text (version, effective)."),
    )

    def clean_source(self) -> str:
        # Browsers send a textarea's lines ending in CR LF; the text is stored as it is written, with LF.
        return self.cleaned_data["source"].replace("\r\n", "\n")


class SignatureForm(forms.Form):
    # Empty: the person's own side of the contract.
    party = forms.ChoiceField(choices=[(party, party) for party in PARTIES], widget=forms.HiddenInput, required=False)
    # The text the signer read: a draft replaced since is refused rather than signed unseen.
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
