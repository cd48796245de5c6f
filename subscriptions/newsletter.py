"""Newsletter issues: one mail per confirmed consent, each with its own way out.

Every mail carries an unsubscribe link and the RFC 8058 headers, so mail
programs offer "Abbestellen" and unsubscribe with one click (a POST to the
same signed URL, which needs neither login nor form).
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from subscriptions import mail
from subscriptions.models import NewsletterConsent, NewsletterIssue

UNSUBSCRIBE_SALT = "subscriptions.newsletter.unsubscribe"


def unsubscribe_path(consent):
    """Signed, so no one can unsubscribe others by counting; it never expires."""
    signed = signing.dumps(consent.pk, salt=UNSUBSCRIBE_SALT)
    return reverse("subscriptions:newsletter-unsubscribe", args=[signed])


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
