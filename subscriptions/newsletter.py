"""The newsletter: sign-up with double opt-in, issues to every consent, unsubscribing.

Every issue's mail carries an unsubscribe link and the RFC 8058 headers, so mail
programs offer their own "Abbestellen" and unsubscribe by it at once (a POST
to the same signed URL, which needs neither login nor form). The link in the
mail's text opens a page with the "Abmelden" button: a GET changes nothing,
since mail scanners open links. So no mail promises "ein Klick".
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.lib import tasks
from portal.lib.tasks import task
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
    """Keep the request as the proof to be, and mail the link that confirms it.

    The link is minted when the mail is sent (_mint_confirm); until then the
    consent's digest is that of a secret nobody has.
    """
    with transaction.atomic():
        consent = NewsletterConsent.objects.create(
            email=email,
            wording=wording,
            requested_from=address or None,
            digest=token_hash(new_token()),
        )
        # The confirmation mail asks for consent; it carries no advertising.
        mail.queue(
            email,
            purpose="newsletter-confirm",
            template="newsletter_confirm",
            context={"wording": wording, "days": CONSENT_LIFETIME.days},
            links={"url": {"kind": "newsletter-confirm", "consent": consent.pk, "base": base_url}},
        )


@mail.link_kind("newsletter-confirm")
def _mint_confirm(recipe, outgoing):
    """A new secret at each sending: the link sent last is the one that works."""
    secret = new_token()
    NewsletterConsent.objects.filter(pk=recipe["consent"]).update(digest=token_hash(secret))
    base = recipe["base"].rstrip("/")
    return base + reverse("subscriptions:newsletter-confirm", args=[secret])


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


@mail.link_kind("unsubscribe")
def _mint_unsubscribe(recipe, outgoing):
    """Signed from the consent's id: no query, for thousands of mails of an issue."""
    return recipe["base"] + unsubscribe_path(NewsletterConsent(pk=recipe["consent"]))


def signed_consent(signed):
    """The consent an unsubscribe link was made for; None for a link we did not sign."""
    try:
        pk = signing.loads(signed, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return NewsletterConsent.objects.filter(pk=pk).first()


def unsubscribe(consent):
    """Every sign-up of this address ends: "abmelden" means no more newsletters."""
    NewsletterConsent.objects.filter(email=consent.email, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    consent.refresh_from_db()


def send_issue(issue, base_url):
    """Start sending the issue to everyone subscribed; False if it was started before.

    An issue goes out once: the claim (sent_at) and the task that writes its
    mails are committed together. The task (write_issue_mails) does the rest.
    """
    with transaction.atomic():
        claimed = NewsletterIssue.objects.filter(pk=issue.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if claimed:
            tasks.enqueue(write_issue_mails, issue.pk, base_url.rstrip("/"))
    return bool(claimed)


def subscribed():
    """One confirmed, not withdrawn consent per address (the newest), in address order."""
    return (
        NewsletterConsent.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
        .order_by("email", "-confirmed_at")
        .distinct("email")
    )


@tasks.named("Newsletter-Ausgabe schreiben")
@task()
def write_issue_mails(issue_pk, base):
    """Write the issue's mails in batches, each with the task that sends it; return how many.

    Each batch is one transaction that also notes the last address written,
    so a worker killed halfway leaves the issue to be resumed (the task runs
    again) from where it stopped; at most one mail per issue and address
    (a constraint) however often it runs. Who signs up meanwhile is included
    if their address sorts after the last one written.
    """
    while True:
        with transaction.atomic():
            issue = NewsletterIssue.objects.select_for_update().get(pk=issue_pk)
            if issue.queued_at:
                return issue.recipients
            batch = list(subscribed().filter(email__gt=issue.queued_through)[: mail.BATCH])
            pks = []
            for consent in batch:
                pks.append(
                    mail.queue(
                        consent.email,
                        purpose="newsletter",
                        template="newsletter_issue",
                        context={"issue": issue},
                        links={
                            "unsubscribe_url": {
                                "kind": "unsubscribe",
                                "consent": consent.pk,
                                "base": base,
                            }
                        },
                        headers={
                            "List-Unsubscribe": f"<{mail.placeholder('unsubscribe_url')}>",
                            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                        },
                        send_now=False,  # a task per batch, not per mail
                        issue=issue,
                    ).pk
                )
            mail.enqueue_batches(pks)
            issue.recipients += len(batch)
            if batch:
                issue.queued_through = batch[-1].email
            else:
                issue.queued_at = timezone.now()
            issue.save(update_fields=["recipients", "queued_through", "queued_at"])
