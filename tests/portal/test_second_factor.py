"""A second factor for the back office (issue 20, point 6): whoever can see subscriber data
signs in with a code from an authenticator app; recovery codes; the login lock still holds."""

import base64
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.sites import OTP_FAILURES
from tests.conftest import PASSWORD, logged_in, make_staff

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/subscriptions/subscriber/"


def password_step(username):
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    return client, response


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def set_up_app(client):
    """Scan the QR code (read the key from the page) and confirm with the app's code."""
    page = client.get("/admin/zweiter-faktor/einrichten/?next=/admin/")
    assert "<svg" in page.text  # the QR code, inline
    device = TOTPDevice.objects.get(confirmed=False)
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", page.text)[1].replace(" ", "")
    assert key == base64.b32encode(device.bin_key).decode()
    done = client.post(
        "/admin/zweiter-faktor/einrichten/", {"code": current_code(device), "next": "/admin/"}
    )
    return device, done


def test_point_6_the_aboverwaltung_cannot_reach_subscriber_data_with_the_password_alone(
    django_user_model,
):
    make_staff(django_user_model, "aboservice", "Aboverwaltung")

    client, response = password_step("aboservice")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/zweiter-faktor/einrichten/")
    # Signed in, but no admin page opens, subscriber data least of all.
    blocked = client.get("/admin/subscriptions/subscriber/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/admin/login/")
    assert client.get(blocked["Location"])["Location"].startswith("/admin/zweiter-faktor/")


def test_point_6_setting_up_with_a_qr_code_gives_ten_recovery_codes_shown_once(
    django_user_model,
):
    make_staff(django_user_model, "aboservice", "Aboverwaltung")
    client, _response = password_step("aboservice")

    device, done = set_up_app(client)

    device.refresh_from_db()
    assert device.confirmed
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.text)
    assert len(codes) == 10
    assert "nur dieses eine Mal gezeigt" in done.text
    # Stored as keyed hashes: the table holds nothing that signs in.
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert client.get("/admin/subscriptions/subscriber/").status_code == 200


def test_point_6_the_next_login_asks_for_the_code_and_refuses_a_wrong_one(django_user_model):
    make_staff(django_user_model, "aboservice", "Aboverwaltung")
    client, _response = password_step("aboservice")
    device, _done = set_up_app(client)
    client.post("/admin/logout/")

    client, response = password_step("aboservice")
    assert response["Location"].startswith("/admin/zweiter-faktor/?next=")
    wrong = client.post("/admin/zweiter-faktor/", {"code": "000000", "next": "/admin/"})
    assert "Dieser Code stimmt nicht" in wrong.text
    assert client.get("/admin/subscriptions/subscriber/").status_code == 302
    # (A code is used once: the one of set-up cannot sign in again in the same 30 s.)
    device.refresh_from_db()
    device.last_t -= 1
    device.throttling_failure_count = 0
    device.save()
    right = client.post(
        "/admin/zweiter-faktor/",
        {"code": current_code(device), "next": "/admin/subscriptions/subscriber/"},
    )

    assert right["Location"] == "/admin/subscriptions/subscriber/"
    assert client.get("/admin/subscriptions/subscriber/").status_code == 200


def test_point_6_a_recovery_code_signs_in_once(django_user_model):
    make_staff(django_user_model, "aboservice", "Aboverwaltung")
    client, _response = password_step("aboservice")
    _device, done = set_up_app(client)
    code = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.text)[0]

    first, _response = password_step("aboservice")
    used = first.post("/admin/zweiter-faktor/", {"code": code.upper(), "next": "/admin/"})
    second, _response = password_step("aboservice")
    again = second.post("/admin/zweiter-faktor/", {"code": code, "next": "/admin/"})

    assert used.status_code == 302
    assert "noch übrig" in first.get("/admin/").text  # 9 left, said on the next page
    assert "Dieser Code stimmt nicht (oder war schon verwendet)" in again.text


def test_point_6_wrong_codes_lock_the_second_step_like_passwords(django_user_model):
    make_staff(django_user_model, "aboservice", "Aboverwaltung")
    client, _response = password_step("aboservice")
    device, _done = set_up_app(client)
    client.post("/admin/logout/")
    client, _response = password_step("aboservice")

    for _ in range(OTP_FAILURES):
        assert client.post("/admin/zweiter-faktor/", {"code": "123456"}).status_code == 200
    locked = client.post("/admin/zweiter-faktor/", {"code": current_code(device)})

    assert locked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in locked.text


def test_point_6_a_password_alone_cannot_replace_the_app(django_user_model):
    make_staff(django_user_model, "aboservice", "Aboverwaltung")
    client, _response = password_step("aboservice")
    set_up_app(client)
    thief, _response = password_step("aboservice")

    # Whoever has only the password is sent to enter a code, not to set up a new app.
    setup = thief.get("/admin/zweiter-faktor/einrichten/")

    assert setup["Location"].startswith("/admin/zweiter-faktor/?next=")
    assert TOTPDevice.objects.count() == 1


def test_point_6_the_newsroom_signs_in_without_unless_the_setting_asks(
    django_user_model, settings
):
    make_staff(django_user_model, "redakteurin", "Redaktion")

    _client, response = password_step("redakteurin")
    assert response["Location"] == "/admin/subscriptions/subscriber/"

    settings.OTP_REQUIRED_FOR_ALL_STAFF = True
    _client, response = password_step("redakteurin")
    assert response["Location"].startswith("/admin/zweiter-faktor/einrichten/")


def test_point_6_superusers_need_it_and_others_may_opt_in(django_user_model):
    django_user_model.objects.create_superuser("technik", "t@example.org", PASSWORD)
    make_staff(django_user_model, "redakteurin", "Redaktion")

    _client, response = password_step("technik")
    assert response["Location"].startswith("/admin/zweiter-faktor/einrichten/")

    editor, _response = password_step("redakteurin")
    assert "Zweiter Faktor" in editor.get("/admin/").text
    set_up_app(editor)
    editor.post("/admin/logout/")
    _client, response = password_step("redakteurin")
    assert response["Location"].startswith("/admin/zweiter-faktor/?next=")


def test_point_6_a_foreign_next_address_is_not_followed(django_user_model):
    aboservice = make_staff(django_user_model, "aboservice", "Aboverwaltung")
    client, _response = password_step("aboservice")
    device = TOTPDevice.objects.create(user=aboservice, confirmed=True, name="App")

    response = client.post(
        "/admin/zweiter-faktor/", {"code": current_code(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/admin/"


def test_point_6_a_superuser_resets_a_lost_second_factor_and_the_owner_sets_it_up_anew(
    django_user_model,
):
    clerk = make_staff(django_user_model, "aboservice", "Aboverwaltung")
    client, _ = password_step("aboservice")
    set_up_app(client)
    boss = django_user_model.objects.create_superuser("chefin", "chefin@example.org", PASSWORD)
    admin = logged_in(boss)

    done = admin.post(
        "/admin/auth/user/",
        {"action": "reset_second_factor", "_selected_action": [clerk.pk]},
        follow=True,
    )

    assert "Zweiter Faktor von 1 Person zurückgesetzt" in done.text
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not StaticToken.objects.filter(device__user=clerk).exists()
    assert password_step("aboservice")[1]["Location"].startswith(
        "/admin/zweiter-faktor/einrichten/"
    )
    # The devices have no admin pages of their own (English, with their keys' seeds).
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_point_6_only_a_superuser_may_reset_a_second_factor(django_user_model):
    clerk = make_staff(django_user_model, "aboservice", "Aboverwaltung")
    client, _ = password_step("aboservice")
    set_up_app(client)
    user_admin = make_staff(django_user_model, "personal", "Redaktion")
    user_admin.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    admin = logged_in(user_admin)

    assert "reset_second_factor" not in admin.get("/admin/auth/user/").text
    admin.post(
        "/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [clerk.pk]}
    )

    assert TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()
