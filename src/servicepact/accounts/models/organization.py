from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.accounts.roles import OrganizationKind
from servicepact.permissions.querysets import AccessQuerySet


class Organization(models.Model):
    """A tenant: the customer that outsources, a provider, or another vendor."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_(
            "Everyone of this organization who holds a role other than requester confirms each sign-in "
            "with a second factor (an authenticator app or a backup code)."
        ),
    )

    require_single_sign_on = models.BooleanField(
        _("require single sign-on"),
        default=False,
        help_text=_(
            "This organization's people sign in through its identity provider; their passwords here are "
            "refused. The platform's operator keeps a local password."
        ),
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name
