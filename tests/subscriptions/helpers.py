"""What the subscription tests share: filling in the public forms as a person would."""

import io
import re
import secrets

from django.utils import dateformat, timezone
from pypdf import PdfReader


def submission_key():
    return secrets.token_urlsafe(24)


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
    return data


def withdrawal(**fields):
    data = {
        "name": "Erika Mustermann",
        "identifier": "",
        "contract": "alle",
        "email": "erika@example.org",
        "submission": submission_key(),
    }
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
