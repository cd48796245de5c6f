"""The server's access log keeps no client address and no secret of a link (issue 20, point 1)."""

import datetime
import runpy
from types import SimpleNamespace

from django.urls import reverse
from gunicorn.config import Config

from portal.access_log import AccessLogger


def logged_line(path, **headers):
    """The line gunicorn, set up by deploy/gunicorn.conf.py, writes for a GET of ``path``."""
    config = Config()
    for name, value in runpy.run_path("deploy/gunicorn.conf.py").items():
        if name in config.settings:
            config.set(name, value)
    assert config.logger_class is AccessLogger
    logger = config.logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + "?utm=newsletter",
        "PATH_INFO": path,
        "QUERY_STRING": "utm=newsletter",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.77",
        "HTTP_REFERER": headers.get("referer", "-"),
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    request = SimpleNamespace(headers=[(name.upper(), value) for name, value in headers.items()])
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("X-Cache", "miss")])
    atoms = logger.atoms_wrapper_class(
        logger.atoms(response, request, environ, datetime.timedelta(milliseconds=12))
    )
    return config.access_log_format % atoms


def test_point_1_a_login_link_in_the_log_has_its_secret_cut_out():
    secret = "Zq8-dW3_kP0aLr7Xy2bVn5Tg"
    path = reverse("subscriptions:login", args=[secret])

    line = logged_line(path)

    assert secret not in line
    assert "GET /abo/anmelden/[…]/ HTTP/1.1" in line
    assert " 200 512 12ms" in line


def test_point_1_the_log_keeps_no_client_address_no_referrer_and_no_query():
    secret = "Zq8-dW3_kP0aLr7Xy2bVn5Tg"
    referrer = "https://portal.example" + reverse(
        "subscriptions:newsletter-confirm", args=[secret]
    )

    line = logged_line("/static/css/portal.css", referer=referrer, x_forwarded_for="198.51.100.9")

    assert "203.0.113.77" not in line
    assert "198.51.100.9" not in line
    assert secret not in line
    assert "utm=" not in line
    assert '"GET /static/css/portal.css HTTP/1.1"' in line


def test_an_article_path_is_logged_as_it_is():
    assert '"GET /nachrichten/ HTTP/1.1"' in logged_line("/nachrichten/")
