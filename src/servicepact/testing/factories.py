"""factory_boy factories for the domain models, used by every app's tests."""

import hashlib
from datetime import date
from pathlib import Path

import factory
from django.utils import timezone

from servicepact.accounts.models import Membership, Organization, OrganizationKind, Role, Team, User
from servicepact.contracts.models import Contract, ContractVersion, Service, VersionStatus

EXAMPLE_CONTRACT = Path(__file__).resolve().parent.parent / "contracts" / "examples" / "globex-ito.yaml"
PASSWORD = "correct-horse-battery-staple"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())
    kind = OrganizationKind.CUSTOMER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    organization = factory.SubFactory(OrganizationFactory)

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or PASSWORD)
        if create:
            user.save(update_fields=["password"])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    organization = factory.SubFactory(OrganizationFactory)
    slug = factory.Sequence(lambda n: f"team-{n}")
    name = factory.LazyAttribute(lambda t: t.slug.replace("-", " ").title())


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.LazyAttribute(lambda m: m.user.organization)
    team = None
    role = Role.REQUESTER


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        django_get_or_create = ("slug",)

    slug = "globex-ito"
    title = "Globex application maintenance, Europe and Asia"
    customer = factory.SubFactory(OrganizationFactory, slug="globex", kind=OrganizationKind.CUSTOMER)
    provider = factory.SubFactory(OrganizationFactory, slug="northwind", kind=OrganizationKind.PROVIDER)


class ContractVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractVersion

    contract = factory.SubFactory(ContractFactory)
    number = 1
    source = factory.LazyFunction(lambda: EXAMPLE_CONTRACT.read_text())
    sha256 = factory.LazyAttribute(lambda v: hashlib.sha256(v.source.encode()).hexdigest())
    effective_from = date(2026, 1, 1)
    effective_to = date(2027, 12, 31)
    status = VersionStatus.SIGNED
    customer_signed_at = factory.LazyFunction(timezone.now)
    provider_signed_at = factory.LazyFunction(timezone.now)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("contract", "key")

    contract = factory.SubFactory(ContractFactory)
    key = "sap-erp"
