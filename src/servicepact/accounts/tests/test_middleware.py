from django.test import Client
from django.utils import timezone, translation


def test_a_persons_language_and_zone_apply_to_their_request_and_do_not_linger(world):
    person = world.people["resolver"]
    person.language, person.timezone = "zh-hans", "Asia/Shanghai"
    person.save(update_fields=["language", "timezone"])
    client = Client()
    client.force_login(person)
    before = translation.get_language(), timezone.get_current_timezone_name()

    response = client.get("/accounts/profile/")

    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "zh-hans"
    assert "Asia/Shanghai" in response.content.decode()
    assert (translation.get_language(), timezone.get_current_timezone_name()) == before
