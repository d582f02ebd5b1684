from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.accounts.roles import Role
from servicepact.permissions.querysets import AccessQuerySet


class DirectorySource(models.Model):
    """An organization's employee directory (LDAP): who its people are, their departments and managers,
    which roles they hold (by group), and whether they sign in with the directory's password."""

    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organization"), on_delete=models.CASCADE, related_name="directories"
    )
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    server_url = models.CharField(_("server"), max_length=300, help_text=_("ldap://host:389 or ldaps://host:636"))
    bind_dn = models.CharField(_("bind DN"), max_length=500, blank=True)
    bind_password = models.CharField(_("bind password"), max_length=500, blank=True)
    people_base = models.CharField(_("people base DN"), max_length=500)
    people_filter = models.CharField(_("people filter"), max_length=500, default="(objectClass=inetOrgPerson)")
    disabled_filter = models.CharField(
        _("disabled filter"),
        max_length=500,
        blank=True,
        help_text=_("People who match it are deactivated here, e.g. (employeeType=disabled)."),
    )
    attribute_email = models.CharField(_("e-mail attribute"), max_length=64, default="mail")
    attribute_name = models.CharField(_("name attribute"), max_length=64, default="cn")
    attribute_department = models.CharField(_("department attribute"), max_length=64, default="departmentNumber")
    attribute_manager = models.CharField(_("manager attribute"), max_length=64, default="manager")
    attribute_language = models.CharField(_("language attribute"), max_length=64, default="preferredLanguage")
    group_base = models.CharField(_("group base DN"), max_length=500, blank=True)
    group_filter = models.CharField(_("group filter"), max_length=500, default="(objectClass=groupOfNames)")
    group_member_attribute = models.CharField(_("group member attribute"), max_length=64, default="member")
    role_mapping = models.JSONField(
        _("roles by group"),
        default=dict,
        blank=True,
        help_text=_('A group\'s name (cn) or DN and the role its members hold: {"servicedesk": "agent"}.'),
    )
    default_role = models.CharField(
        _("role of everyone"), max_length=32, choices=Role.choices, default=Role.REQUESTER, blank=True
    )
    login_by_bind = models.BooleanField(
        _("sign in with the directory's password"),
        default=False,
        help_text=_("The login page checks the password by binding to the directory as the person."),
    )
    enabled = models.BooleanField(_("synchronized on schedule"), default=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "name"]
        verbose_name = _("directory")
        verbose_name_plural = _("directories")

    def __str__(self) -> str:
        return self.name


class DirectorySync(models.Model):
    """One run of a directory's synchronization, or its dry run: what it found and did."""

    source = models.ForeignKey(DirectorySource, on_delete=models.CASCADE, related_name="syncs")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    dry_run = models.BooleanField(_("dry run"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    report = models.JSONField(_("report"), default=dict)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("directory synchronization")
        verbose_name_plural = _("directory synchronizations")

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"
