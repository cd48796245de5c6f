"""The contract terms that go with the mail confirming a contract, as text attachments.

§ 312f Abs. 2 BGB wants the contract's content, with the AGB, confirmed on a
durable medium; § 312i Abs. 1 Nr. 4 BGB wants the terms to be kept. Plain
text rather than PDF: the outbox keeps byte for byte what was sent
(OutgoingMail.attachments), nothing is rendered while the customer waits
for the confirmation page, and every mail program and screen reader shows it.
"""

from django.apps import apps
from django.template.loader import render_to_string

from portal.lib.text import plain_text
from subscriptions import conditions, withdrawal_info


def contract_documents(subscription, withdraw_url):
    """The files for the mail that confirms ``subscription``: (filename, text) pairs.

    The AGB with this contract's terms, and the Widerrufsbelehrung with the
    model withdrawal form (Art. 246a § 1 Abs. 2 EGBGB, Anlage 1 and 2) for its
    kind of plan; ``withdraw_url`` is the absolute address of "Vertrag widerrufen".
    """
    belehrung = withdrawal_info.render(
        None, subscription.plan.delivered_by_post, withdraw_url, text=True
    )
    return [
        ("AGB.txt", agb(subscription)),
        ("Widerrufsbelehrung.txt", belehrung.strip() + "\n"),
    ]


def agb(subscription):
    """The AGB as the back office keeps them, with the terms of this contract."""
    # By its label: an app imports nothing of portal's top (DESIGN.md, layers).
    legal_text = apps.get_model("portal", "LegalText")
    text = legal_text.objects.filter(kind="agb").first()
    return (
        render_to_string(
            "subscriptions/documents/agb.txt",
            {
                "agb": text,
                "body": plain_text(text.body) if text else "",
                "subscription": subscription,
                "lines": conditions.lines(conditions.Agreement.of_contract(subscription)),
            },
        ).strip()
        + "\n"
    )
