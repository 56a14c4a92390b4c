"""/settings/: the time zone times are shown in, saved per user; the browser's by default."""

from __future__ import annotations

import pytest

from customers_ui.models import UserPreferences

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada_client(client, support_user):
    client.force_login(support_user)
    return client


def test_the_page_names_the_zone_in_use(ada_client):
    html = ada_client.get("/settings/").text
    assert "Times on every page are shown in <strong>UTC</strong>" in html
    assert '<select name="time_zone"' in html
    assert "Automatic: the zone your browser reports" in html


def test_the_browsers_zone_is_used_until_one_is_chosen(ada_client):
    ada_client.cookies["tz"] = "Europe/Paris"
    html = ada_client.get("/settings/").text
    assert "shown in <strong>Europe/Paris</strong>" in html
    assert "(now Europe/Paris)" in html
    assert " CET</time>" in html or " CEST</time>" in html


def test_a_chosen_zone_is_saved_and_wins_over_the_browser(ada_client, support_user):
    ada_client.cookies["tz"] = "Europe/Paris"
    response = ada_client.post("/settings/", {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    assert UserPreferences.objects.get(user=support_user).time_zone == "Asia/Tokyo"
    html = ada_client.get("/settings/").text
    assert "shown in <strong>Asia/Tokyo</strong>" in html
    assert " JST</time>" in html
    assert "Your settings are saved." in html


def test_the_choice_follows_the_user_to_a_new_session(client, support_user):
    UserPreferences.objects.create(user=support_user, time_zone="America/New_York")
    client.force_login(support_user)
    assert "shown in <strong>America/New_York</strong>" in client.get("/settings/").text


def test_back_to_automatic(ada_client, support_user):
    ada_client.post("/settings/", {"time_zone": "Asia/Tokyo"})
    ada_client.post("/settings/", {"time_zone": ""})
    assert UserPreferences.objects.get(user=support_user).time_zone == ""
    assert "shown in <strong>UTC</strong>" in ada_client.get("/settings/").text


def test_an_unknown_zone_is_refused(ada_client, support_user):
    response = ada_client.post("/settings/", {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not UserPreferences.objects.filter(user=support_user).exists()


@pytest.mark.parametrize("cookie", ["Mars/Base", "../../etc/passwd", "x" * 500, ""])
def test_a_bogus_browser_zone_is_ignored(ada_client, cookie):
    ada_client.cookies["tz"] = cookie
    assert "shown in <strong>UTC</strong>" in ada_client.get("/settings/").text


def test_the_settings_page_needs_a_login(client, db):
    assert client.get("/settings/")["Location"].startswith("/accounts/login/")
