"""Directory synchronization and sign-in by bind, against Debian's slapd with a few thousand people."""

import pytest
from django.test import Client

from servicepact.accounts.directory import DirectoryBindBackend, synchronize
from servicepact.accounts.models import DirectorySource, DirectorySync, Membership, Role, User
from servicepact.accounts.tests.slapd_directory import (
    ADMIN_DN,
    ADMIN_PASSWORD,
    GROUP_BASE,
    PEOPLE_BASE,
    person_dn,
    slapd_directory,
)
from servicepact.accounts.tokens import create_token
from servicepact.testing.factories import OrganizationFactory

PEOPLE = 3000


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    with slapd_directory(tmp_path_factory.mktemp("slapd"), PEOPLE) as running:
        yield running


@pytest.fixture
def source(db, directory):
    globex = OrganizationFactory(slug="globex-dir", name="Globex", timezone="Europe/Berlin")
    return DirectorySource.objects.create(
        organization=globex,
        slug="globex-ldap",
        name="Globex directory",
        server_url=directory.url,
        bind_dn=ADMIN_DN,
        bind_password=ADMIN_PASSWORD,
        people_base=PEOPLE_BASE,
        disabled_filter="(employeeType=disabled)",
        group_base=GROUP_BASE,
        role_mapping={"servicedesk-managers": Role.CUSTOMER_MANAGER},
        login_by_bind=True,
    )


def test_a_dry_run_reports_and_changes_nothing_then_the_sync_makes_the_people(source, django_assert_max_num_queries):
    dry = synchronize(source, dry_run=True)
    assert dry.error == ""
    counts = dry.report["counts"]
    assert dry.report["read"] == PEOPLE
    assert counts["create"] == PEOPLE - PEOPLE // 100  # the disabled ones are not created
    assert counts["grant"] == counts["create"] + 5  # everyone a requester, five managers
    assert User.objects.filter(organization=source.organization).count() == 0

    run = synchronize(source, dry_run=False)
    assert run.report["counts"] == counts
    people = User.objects.filter(organization=source.organization)
    assert people.count() == counts["create"]
    seventh = people.get(email="p00007@globex.example")
    assert (seventh.full_name, seventh.department, seventh.identity_source) == ("Person 7", "Sales", "ldap")
    assert seventh.manager.email == "p00001@globex.example"
    assert seventh.timezone == "Europe/Berlin" and seventh.language == "en"
    assert people.get(email="p00010@globex.example").language == "zh-hans"
    assert set(Membership.objects.filter(user__email="p00003@globex.example").values_list("role", flat=True)) == {
        Role.REQUESTER,
        Role.CUSTOMER_MANAGER,
    }

    # Nothing changed in the directory: nothing to do.
    again = synchronize(source, dry_run=True)
    assert set(again.report["counts"].values()) == {0}
    assert DirectorySync.objects.filter(source=source).count() == 3


def test_people_who_leave_the_directory_or_its_groups_leave_here_and_their_history_stays(source, directory):
    synchronize(source, dry_run=False)
    leaving = User.objects.get(email="p00020@globex.example")
    directory.modify(
        f"dn: {person_dn(20)}\nchangetype: modify\nadd: employeeType\nemployeeType: disabled\n\n"
        f"dn: {person_dn(21)}\nchangetype: delete\n\n"
        f"dn: cn=servicedesk-managers,{GROUP_BASE}\nchangetype: modify\ndelete: member\nmember: {person_dn(3)}\n\n"
        f"dn: {person_dn(22)}\nchangetype: modify\nreplace: departmentNumber\ndepartmentNumber: Legal\n"
    )
    try:
        run = synchronize(source, dry_run=False)
        counts = run.report["counts"]
        assert (counts["deactivate"], counts["revoke"], counts["update"], counts["create"]) == (2, 1, 1, 0)
        leaving.refresh_from_db()
        assert not leaving.is_active  # the account stays, with its tickets, and cannot sign in
        assert not User.objects.get(email="p00021@globex.example").is_active
        assert User.objects.get(email="p00022@globex.example").department == "Legal"
        assert not Membership.objects.filter(user__email="p00003@globex.example", role=Role.CUSTOMER_MANAGER).exists()
    finally:
        directory.modify(
            f"dn: {person_dn(20)}\nchangetype: modify\ndelete: employeeType\n\n"
            f"dn: {person_dn(21)}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: p00021\ncn: Person 21\nsn: 21\n"
            f"mail: p00021@globex.example\n\n"
            f"dn: cn=servicedesk-managers,{GROUP_BASE}\nchangetype: modify\nadd: member\nmember: {person_dn(3)}\n\n"
            f"dn: {person_dn(22)}\nchangetype: modify\nreplace: departmentNumber\ndepartmentNumber: Sales\n"
        )


def test_an_unreachable_directory_leaves_its_error_and_changes_nothing(source):
    source.server_url = "ldap://127.0.0.1:1"
    source.save()
    run = synchronize(source, dry_run=False)
    assert "127.0.0.1:1" in run.error and run.report == {}
    assert not User.objects.filter(organization=source.organization).exists()


def test_people_sign_in_with_the_directorys_password(source):
    synchronize(source, dry_run=False)
    backend = DirectoryBindBackend()
    assert backend.authenticate(None, username="P00007@globex.example", password="secret-p00007").email == (
        "p00007@globex.example"
    )
    assert backend.authenticate(None, username="p00007@globex.example", password="wrong") is None
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "p00008@globex.example", "password": "secret-p00008"}, REMOTE_ADDR="10.0.0.8"
    )
    assert response.status_code == 302, response.content.decode()[:500]
    source.login_by_bind = False
    source.save()
    assert backend.authenticate(None, username="p00008@globex.example", password="secret-p00008") is None


def test_the_organizations_administrator_runs_a_dry_run_through_the_api(source):
    administrator = User.objects.create_user("it@globex-dir.example", organization=source.organization)
    Membership.objects.create(user=administrator, organization=source.organization, role=Role.ADMINISTRATOR)
    _token, secret = create_token(actor=administrator, name="directory")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post(
        f"/api/directory/{source.slug}/sync", data={"dry_run": True}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dry_run"] and body["directory"] == source.slug and body["report"]["read"] == PEOPLE
    assert User.objects.filter(organization=source.organization).count() == 1  # only the administrator
    assert [sync["id"] for sync in client.get("/api/directory/syncs").json()] == [body["id"]]
