from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.accounts.roles import Role
from servicepact.permissions.querysets import AccessQuerySet


class IdentityProvider(models.Model):
    """An OpenID Connect provider through which one organization's people sign in (single sign-on).

    An organization may have several (a company and its subsidiary, a test and a live tenant). The
    endpoints come from the issuer's discovery document; the claims named here fill in the person.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="identity_providers",
    )
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("Shown on the login page's button."))
    issuer = models.URLField(_("issuer"), max_length=500, help_text=_("Its discovery document is read from here."))
    client_id = models.CharField(_("client id"), max_length=255)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    scopes = models.CharField(_("scopes"), max_length=255, default="openid email profile")
    claim_email = models.CharField(_("e-mail claim"), max_length=64, default="email")
    claim_name = models.CharField(_("name claim"), max_length=64, default="name")
    claim_language = models.CharField(_("language claim"), max_length=64, default="locale", blank=True)
    claim_timezone = models.CharField(_("time zone claim"), max_length=64, default="zoneinfo", blank=True)
    claim_department = models.CharField(_("department claim"), max_length=64, default="department", blank=True)
    create_people = models.BooleanField(
        _("create people at their first sign-in"),
        default=True,
        help_text=_("Otherwise only people who exist already (added by hand or by the directory) sign in."),
    )
    default_role = models.CharField(
        _("role of new people"), max_length=32, choices=Role.choices, default=Role.REQUESTER
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return self.name
