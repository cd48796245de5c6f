"""The newsletter: sign-up with double opt-in, issues to every consent, unsubscribing.

Every issue's mail carries an unsubscribe link and the RFC 8058 headers, so mail
programs offer "Abbestellen" and unsubscribe with one click (a POST to the
same signed URL, which needs neither login nor form).
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from subscriptions import mail
from subscriptions.models import (
    CONSENT_LIFETIME,
    NewsletterConsent,
    NewsletterIssue,
    new_token,
    token_hash,
)

UNSUBSCRIBE_SALT = "subscriptions.newsletter.unsubscribe"


def sign_up(email, wording, address, base_url):
    """Keep the request as the proof to be, and mail the link that confirms it."""
    secret = new_token()
    with transaction.atomic():
        NewsletterConsent.objects.create(
            email=email,
            wording=wording,
            requested_from=address or None,
            digest=token_hash(secret),
        )
        # The confirmation mail asks for consent; it carries no advertising.
        mail.queue(
            email,
            purpose="newsletter-confirm",
            template="newsletter_confirm",
            context={
                "url": base_url.rstrip("/")
                + reverse("subscriptions:newsletter-confirm", args=[secret]),
                "wording": wording,
                "days": CONSENT_LIFETIME.days,
            },
        )


def pending_consent(secret):
    """The consent a confirmation link was sent for, while the link works; else None."""
    return NewsletterConsent.objects.filter(
        digest=token_hash(secret), requested_at__gt=timezone.now() - CONSENT_LIFETIME
    ).first()


def confirm(consent, address):
    """The consent counts from now, confirmed from ``address``; a second click changes nothing."""
    NewsletterConsent.objects.filter(pk=consent.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), confirmed_from=address or None
    )
    consent.refresh_from_db()


def unsubscribe_path(consent):
    """Signed, so no one can unsubscribe others by counting; it never expires."""
    signed = signing.dumps(consent.pk, salt=UNSUBSCRIBE_SALT)
    return reverse("subscriptions:newsletter-unsubscribe", args=[signed])


def signed_consent(signed):
    """The consent an unsubscribe link was made for; None for a link we did not sign."""
    try:
        pk = signing.loads(signed, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return NewsletterConsent.objects.filter(pk=pk).first()


def unsubscribe(consent):
    """Every sign-up of this address ends: "abbestellen" means no more newsletters."""
    NewsletterConsent.objects.filter(email=consent.email, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    consent.refresh_from_db()


def send_issue(issue, base_url):
    """Queue the issue for everyone subscribed now; return how many. An issue goes out once.

    The mail worker (manage.py deliver_mail) sends them, in rounds of its batch size.
    """
    base = base_url.rstrip("/")
    with transaction.atomic():
        claimed = NewsletterIssue.objects.filter(pk=issue.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if not claimed:
            return 0
        consents = (
            NewsletterConsent.objects.filter(
                confirmed_at__isnull=False, unsubscribed_at__isnull=True
            )
            .order_by("email", "-confirmed_at")
            .distinct("email")
        )
        count = 0
        for consent in consents:
            url = base + unsubscribe_path(consent)
            mail.queue(
                consent.email,
                purpose="newsletter",
                template="newsletter_issue",
                context={
                    "issue": issue,
                    "unsubscribe_url": url,
                },
                headers={
                    "List-Unsubscribe": f"<{url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
                send_now=False,  # thousands of mails: the worker's job
            )
            count += 1
    return count
