"""Plain factory functions: each makes one valid object and takes overrides."""

import datetime
import io
import itertools

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from ads.models import Campaign, Category, Creative, Vendor
from ads.slots import SLOTS
from articles.models import Article, ArticleLink, Image, Section
from subscriptions.models import Plan, Subscriber, Subscription

_numbers = itertools.count(1)


def make_section(name=None, **fields):
    number = next(_numbers)
    name = name or f"Bereich {number}"
    fields.setdefault("slug", f"bereich-{number}")
    fields.setdefault("position", number)
    return Section.objects.create(name=name, **fields)


def make_article(section=None, tags=(), links=(), **fields):
    """A published article, visible since an hour ago, unless told otherwise."""
    number = next(_numbers)
    fields.setdefault("headline", f"Überschrift {number}")
    fields.setdefault("kicker", "Sachsen")
    fields.setdefault("teaser", f"Vorspann {number} mit dem Wichtigsten in Kürze.")
    fields.setdefault("body", f"<p>Text {number}.</p>")
    fields.setdefault("byline", "ba")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] == Article.Status.PUBLISHED:
        fields.setdefault("publish_at", timezone.now() - datetime.timedelta(hours=1))
    article = Article.objects.create(section=section or make_section(), **fields)
    article.set_tags(tags)
    for position, (label, url) in enumerate(links):
        ArticleLink.objects.create(article=article, label=label, url=url, position=position)
    return article


def picture_bytes(kind="JPEG", size=(120, 80), color=(10, 61, 98)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


def jpeg_with_exif(size=(640, 480), orientation=1):
    """A camera-like JPEG: GPS position, camera serial and orientation in EXIF."""
    picture = PILImage.new("RGB", size, (200, 30, 30))
    exif = PILImage.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0xA431] = "SERIAL-4711"  # BodySerialNumber
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 18.0)}  # GPS
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def make_image(caption="Bildunterschrift", alt_text="Beschreibung des Bildes", **fields):
    image = Image(caption=caption, alt_text=alt_text, **fields)
    image.file = ContentFile(picture_bytes(), name="bild.jpg")
    image.save()
    return image


def article_form(section, **overrides):
    """POST data of the admin's article form, as a browser would send it."""
    data = {
        "section": section.pk,
        "kind": "news",
        "kicker": "Sachsen",
        "headline": "Digitalstrategie überarbeitet",
        "slug": "",
        "teaser": "Die Strategie liegt vor.",
        "body": "<p>Text</p>",
        "tags": "Politik, OZG",
        "status": "draft",
        "publish_at_0": "",
        "publish_at_1": "",
        "byline": "ba",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-label": "Weitere Informationen (Deep Link)",
        "links-0-url": "http://www.smwa.sachsen.de",
        "links-0-position": "0",
        # Hand-picked related articles (issue 24, point 8): none.
        "related_picks-TOTAL_FORMS": "0",
        "related_picks-INITIAL_FORMS": "0",
        "related_picks-MIN_NUM_FORMS": "0",
        "related_picks-MAX_NUM_FORMS": "5",
    }
    data.update(overrides)
    return data


def make_vendor(name=None, categories=(), **fields):
    """A vendor listed in the IT-Guide since last year, without an end."""
    number = next(_numbers)
    fields.setdefault("postcode", "10115")
    fields.setdefault("city", "Berlin")
    fields.setdefault("listed_from", timezone.localdate() - datetime.timedelta(days=365))
    vendor = Vendor.objects.create(name=name or f"Anbieter {number} GmbH", **fields)
    vendor.categories.set(categories)
    return vendor


def make_category(name=None, **fields):
    number = next(_numbers)
    fields.setdefault("slug", f"kategorie-{number}")
    return Category.objects.create(name=name or f"Kategorie {number}", **fields)


def make_campaign(advertiser=None, slots=("sidebar-top",), **fields):
    """A campaign running since yesterday for a month, with a fitting creative per slot."""
    now = timezone.now()
    fields.setdefault("name", f"Kampagne {next(_numbers)}")
    fields.setdefault("starts_at", now - datetime.timedelta(days=1))
    fields.setdefault("ends_at", now + datetime.timedelta(days=30))
    campaign = Campaign.objects.create(advertiser=advertiser or make_vendor(), **fields)
    for slot_name in slots:
        slot = SLOTS[slot_name]
        Creative.objects.create(
            campaign=campaign,
            slot=slot_name,
            image=ContentFile(
                picture_bytes("PNG", (slot.width, slot.height)), name=f"{slot_name}.png"
            ),
            alt_text=f"{campaign.name}: {slot.label}",
            target_url=f"https://werbekunde.example/{campaign.pk}/{slot_name}",
        )
    return campaign


def make_plan(**fields):
    number = next(_numbers)
    fields.setdefault("name", f"Angebot {number}")
    fields.setdefault("slug", f"angebot-{number}")
    fields.setdefault("kind", Plan.Kind.PRINT)
    fields.setdefault("price", "89.00")
    return Plan.objects.create(**fields)


def make_subscriber(**fields):
    number = next(_numbers)
    fields.setdefault("name", f"Erika Muster{number}")
    fields.setdefault("email", f"leserin{number}@example.org")
    fields.setdefault("street", "Rathausplatz 1")
    fields.setdefault("postcode", "12345")
    fields.setdefault("city", "Musterstadt")
    return Subscriber.objects.create(**fields)


def make_subscription(subscriber=None, plan=None, **fields):
    """An accepted running contract on the plan's terms, begun 550 days ago unless told so."""
    start = fields.pop("starts_on", timezone.localdate() - datetime.timedelta(days=550))
    fields.setdefault("concluded_on", start)
    fields.setdefault("status", Subscription.Status.ACTIVE)
    if fields.get("ordered_online"):
        # Ordered on the order pages as they are now: with the full Widerrufsbelehrung.
        fields.setdefault("withdrawal_informed_on", fields["concluded_on"])
    if fields["status"] != Subscription.Status.PENDING:
        # Staff accepted it (what running, cancelled and withdrawn contracts went through).
        fields.setdefault("accepted_at", timezone.now())
    subscription = Subscription.agreed(
        subscriber or make_subscriber(), plan or make_plan(), starts_on=start, **fields
    )
    subscription.save()
    return subscription


def queue_login_mail(subscriber):
    """A login-link mail to ``subscriber``, written to the outbox with its sending task."""
    from subscriptions import mail

    return mail.queue(
        subscriber.email,
        purpose="login",
        template="login",
        context={"subscriber": subscriber, "url": "x"},
    )
