"""What the subscription tests share: filling in the public forms as a person would."""

import io
import re
import secrets

from django.utils import dateformat, timezone
from pypdf import PdfReader

from subscriptions import forgery


def submission_key():
    return secrets.token_urlsafe(24)


def signed(form, data):
    """``data`` with the token a page of ``form`` carries for its submission key, unless given.

    The token of a page for nobody logged in: a logged-in subscriber's own
    page carries one naming them (subscriptions.forgery); filled_in() reads it.
    """
    data.setdefault(forgery.FIELD, forgery.token(form, data["submission"]))
    return data


def cancellation(**fields):
    """The cancellation form as someone fills it in: only what § 312k BGB asks."""
    data = {
        "kind": "ordinary",
        "reason": "",
        "name": "Erika Mustermann",
        "identifier": "",
        "contract": "alle",
        "requested_end": "",
        "email": "erika@example.org",
        "submission": submission_key(),
    }
    data.update(fields)
    return signed("cancel", data)


def withdrawal(**fields):
    data = {
        "name": "Erika Mustermann",
        "identifier": "",
        "contract": "alle",
        "email": "erika@example.org",
        "submission": submission_key(),
    }
    data.update(fields)
    return signed("withdraw", data)


def order_form(plan, **fields):
    """The order form as someone fills it in, terms accepted."""
    data = {
        "plan": plan.pk,
        "name": "Erika Mustermann",
        "organisation": "Stadt Musterstadt",
        "email": "erika@example.org",
        "street": "Rathausplatz 1",
        "postcode": "12345",
        "city": "Musterstadt",
        "terms": "on",
        "submission": submission_key(),
    }
    data.update(fields)
    return data


def filled_in(page, **fields):
    """What the form on ``page`` sends as it stands (key and token too), changed by ``fields``."""
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(fields)
    return data


def german(day):
    """A date as pages and mails write it: 31. Dezember 2026."""
    return dateformat.format(day, "j. F Y")


def received_with_seconds(declaration):
    return timezone.localtime(declaration.received_at).strftime("%H:%M:%S")


def link_in(message, path_prefix):
    """The first link in a mail's text that starts with this path."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}[^\s]*)", message.body)
    assert match, f"no link to {path_prefix} in:\n{message.body}"
    return match[1]


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() for page in reader.pages]
