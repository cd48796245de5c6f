import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from articles.models import Article
from portal.lib.images import make_renditions
from tests.factories import make_article, make_image, make_section
from tests.pages import main_content, warm_shared_fragments

pytestmark = pytest.mark.django_db


def positions(html, *needles):
    """Where each needle first appears in the page body; fails if one is missing."""
    html = html[html.index("<body") :]
    found = []
    for needle in needles:
        assert needle in html, f"{needle!r} is not on the page"
        found.append(html.index(needle))
    return found


@pytest.fixture
def politik():
    return make_section("Politik", slug="politik")


@pytest.fixture
def sachsen(politik):
    return make_article(
        section=politik,
        kicker="Sachsen",
        headline="Digitalstrategie überarbeitet",
        teaser="Die Digitalisierungsstrategie des Freistaats Sachsen liegt jetzt vor.",
        body="<p>Erster Absatz.</p><p>Letzter Absatz zu stärken.</p>",
        byline="ba",
        publish_at=datetime.datetime(2019, 7, 3, 9, 0, tzinfo=datetime.UTC),
        tags=["Politik", "Sachsen", "Digitalstrategie", "Schul-IT", "OZG", "Amt24"],
        links=[
            (
                "Weitere Informationen und die Digitalisierungsstrategie zum Download (Deep Link)",
                "http://www.smwa.sachsen.de",
            )
        ],
    )


def test_it_shows_the_elements_of_the_reference_page_in_order(client, sachsen, politik):
    other = make_article(
        section=politik,
        kicker="Oldenburg",
        headline="Digital nach Plan",
        kind=Article.Kind.REPORT,
        teaser="Der Rat der Stadt Oldenburg hat die Strategie beschlossen.",
        lead_image=make_image(caption="Oldenburg ist auf dem Weg zum digitalen Rathaus."),
    )

    response = client.get(sachsen.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    order = positions(
        html,
        "Sachsen:</span>",
        "Digitalstrategie überarbeitet</span>",
        "[3.7.2019]</time>",
        "Die Digitalisierungsstrategie des Freistaats Sachsen liegt jetzt vor.",
        "<p>Erster Absatz.</p>",
        'Letzter Absatz zu stärken. <span class="byline">(ba)</span></p>',
        "Weitere Informationen und die Digitalisierungsstrategie zum Download (Deep Link)",
        '<a href="http://www.smwa.sachsen.de" rel="noopener">http://www.smwa.sachsen.de</a>',
        "Stichwörter:",
        "Link mailen",
        "Weitere Meldungen und Beiträge aus dem Bereich Politik",
        "Oldenburg: Digital nach Plan</a>",
        '<span class="kind-label">Bericht</span>',
        "Der Rat der Stadt Oldenburg hat die Strategie beschlossen.",
        "mehr",
        "<figcaption>Oldenburg ist auf dem Weg zum digitalen Rathaus.</figcaption>",
        "Aktuelle Meldungen",
        "Aboverwaltung",
        "Abonnement kündigen",
    )
    assert order == sorted(order)
    assert other.get_absolute_url() in html


def test_its_tags_link_to_their_tag_pages_in_the_editors_order(client, sachsen):
    html = client.get(sachsen.get_absolute_url()).content.decode()

    names = ["Politik", "Sachsen", "Digitalstrategie", "Schul-IT", "OZG", "Amt24"]
    links = [f'<a href="/stichwort/{name.lower()}/" rel="tag">{name}</a>' for name in names]
    order = positions(html, *links)
    assert order == sorted(order)


def test_the_date_is_the_berlin_date(client, politik):
    # 23:30 UTC on 2 July is 01:30 on 3 July in Berlin.
    late = make_article(
        section=politik, publish_at=datetime.datetime(2019, 7, 2, 23, 30, tzinfo=datetime.UTC)
    )

    html = client.get(late.get_absolute_url()).content.decode()

    assert "[3.7.2019]" in html
    assert "[2.7.2019]" not in html


def test_link_mailen_encodes_umlauts_ampersands_and_quotes(client, politik):
    article = make_article(
        section=politik, kicker="Baden-Württemberg", headline='Bund & Länder: "Cloud" für alle'
    )

    response = client.get(article.get_absolute_url())

    mailto = response.context["mailto_href"]
    assert mailto.startswith("mailto:?")
    fields = parse_qs(urlsplit(mailto).query)
    assert fields["subject"] == [
        'Artikel-Empfehlung: Baden-Württemberg: Bund & Länder: "Cloud" für alle'
    ]
    assert fields["body"] == [f"http://testserver{article.get_absolute_url()}"]
    # In the HTML the href is attribute-escaped, and no raw umlaut or quote is left in it.
    assert "%C3%BC" in mailto and "%26" in mailto and "%22" in mailto
    assert mailto.replace("&", "&amp;") in response.content.decode()


def test_a_changed_slug_redirects_permanently(client, sachsen):
    response = client.get(f"/artikel/{sachsen.pk}-alter-kurzname/")

    assert response.status_code == 301
    assert response["Location"] == sachsen.get_absolute_url()


def test_the_id_alone_redirects_to_the_full_address(client, sachsen):
    response = client.get(f"/artikel/{sachsen.pk}/")

    assert response.status_code == 301
    assert response["Location"] == sachsen.get_absolute_url()


def test_the_address_carries_id_and_german_slug(sachsen):
    assert sachsen.get_absolute_url() == (
        f"/artikel/{sachsen.pk}-sachsen-digitalstrategie-ueberarbeitet/"
    )


def test_it_shows_the_lead_image_with_caption_credit_and_alt_text(client, politik):
    image = make_image(
        caption="Das Rathaus am Abend.", alt_text="Beleuchtetes Rathaus", credit="Stadt Kiel"
    )
    article = make_article(section=politik, lead_image=image)

    make_renditions(image)

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'alt="Beleuchtetes Rathaus"' in html
    assert "Das Rathaus am Abend." in html
    assert "Bild: Stadt Kiel" in html
    # Renditions: WebP for browsers that take it, with widths to choose from.
    assert f'<source type="image/webp" srcset="{image.webp_srcset}"' in html
    assert f'srcset="{image.fallback_srcset}" sizes="(max-width: 56rem)' in html


def test_related_lists_the_five_latest_others_of_the_section(client, politik):
    now = timezone.now()
    viewed = make_article(section=politik, headline="Die neueste", publish_at=now)
    others = [
        make_article(
            section=politik, headline=f"Andere {n}", publish_at=now - datetime.timedelta(days=n)
        )
        for n in range(1, 8)
    ]
    elsewhere = make_article(section=make_section("Praxis"), headline="Aus der Praxis")

    response = client.get(viewed.get_absolute_url())
    below_another = client.get(others[2].get_absolute_url())

    related_html = main_content(response).split("Weitere Meldungen und Beiträge")[1]
    shown = re.findall(r'class="teaser__title">\s*<a href="[^"]+">([^<]+)</a>', related_html)
    assert shown == [a.title for a in others[:5]]
    assert elsewhere.headline not in related_html
    # Below another of them: the newest, without the one it stands under.
    related_html = main_content(below_another).split("Weitere Meldungen und Beiträge")[1]
    shown = re.findall(r'class="teaser__title">\s*<a href="[^"]+">([^<]+)</a>', related_html)
    assert shown == [a.title for a in [viewed, *others[:2], *others[3:5]]]


def test_readers_get_no_cookies(client, sachsen):
    response = client.get(sachsen.get_absolute_url())

    assert response.status_code == 200
    assert response.cookies == {}
    # Nothing that would split a proxy's cache per reader or per browser language.
    assert "Cookie" not in response.get("Vary", "")
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_section_of_the_article_is_marked_in_the_navigation(client, sachsen):
    html = client.get(sachsen.get_absolute_url()).content.decode()

    assert '<a href="/rubrik/politik/" aria-current="true">Politik</a>' in html


def test_an_empty_ad_place_renders_nothing(client, sachsen):
    html = client.get(sachsen.get_absolute_url()).content.decode()

    assert "Anzeige" not in html


@pytest.mark.parametrize("extra", [0, 1])
def test_it_needs_at_most_six_queries_however_much_it_shows(
    client, politik, django_assert_max_num_queries, extra
):
    """Tags, links and related items are fetched in one query each, not one per item."""
    tags = [f"Stichwort {n}" for n in range(1 + extra * 11)]
    links = [(f"Link {n}", f"https://example.org/{n}") for n in range(1 + extra * 5)]
    article = make_article(section=politik, tags=tags, links=links)
    for _ in range(1 + extra * 6):
        make_article(section=politik, lead_image=make_image())

    warm_shared_fragments(client)
    # The article with its tags and links, the related items, the content version.
    with django_assert_max_num_queries(4):
        response = client.get(article.get_absolute_url())

    html = response.content.decode()
    assert html.count('rel="tag"') == len(tags)
    assert html.count("https://example.org/") >= len(links)
