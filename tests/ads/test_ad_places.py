"""Ad places: labelled "Anzeige", filled by weight, empty when nothing runs, cache-proof."""

import datetime
import random
import re
from collections import Counter

import pytest
from django.utils import timezone

from ads import counting
from ads import fragments as ads_tags
from ads.models import Creative
from ads.placement import choose, running_creatives
from tests.factories import make_article, make_campaign, make_vendor

pytestmark = pytest.mark.django_db


def frame(client, name):
    response = client.get(f"/anzeige/platz/{name}/")
    assert response.status_code == 200
    return response


def shown(client, name):
    """The alt text of the creative the place shows this time, or None."""
    match = re.search(r'alt="([^"]*)"', frame(client, name).content.decode())
    return match and match.group(1)


def test_a_place_with_nothing_running_shows_nothing(client):
    article = make_article()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Anzeige" not in html
    assert "<iframe" not in html
    assert shown(client, "sidebar-top") is None


def test_a_running_campaign_fills_its_place_with_a_labelled_frame(client):
    make_campaign(slots=["sidebar-top", "article"])
    article = make_article()

    html = client.get(article.get_absolute_url()).content.decode()

    assert html.count('<p class="ad__label">Anzeige</p>') == 2
    assert 'src="/anzeige/platz/sidebar-top/" width="300" height="250"' in html
    assert 'src="/anzeige/platz/article/"' in html
    assert "/anzeige/platz/leaderboard/" not in html


def test_the_frame_links_through_our_counter_marked_as_sponsored(client):
    campaign = make_campaign(slots=["leaderboard"])
    creative = campaign.creatives.get()

    response = frame(client, "leaderboard")
    html = response.content.decode()

    assert f'href="/anzeige/klick/{creative.pk}/" target="_top" rel="sponsored noopener"' in html
    assert f'alt="{creative.alt_text}"' in html
    assert 'width="728" height="90"' in html
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response["Cache-Control"]


def test_ended_future_paused_and_inactive_never_show(client):
    now = timezone.now()
    make_campaign(
        name="Vorbei",
        starts_at=now - datetime.timedelta(days=9),
        ends_at=now - datetime.timedelta(seconds=1),
    )
    make_campaign(name="Bald", starts_at=now + datetime.timedelta(seconds=5))
    make_campaign(name="Pause", paused=True)
    inactive = make_campaign(name="Aus")
    inactive.creatives.update(active=False)
    running = make_campaign(name="Läuft")

    seen = {shown(client, "sidebar-top") for _ in range(40)}

    assert seen == {running.creatives.get().alt_text}


def test_rotation_follows_the_weights():
    """20,000 draws with a fixed seed: shares within 1.5 percentage points of the weights.

    Campaign A weighs 10, B 30 with two creatives, so A 25 %, B's two 37.5 % each.
    """
    a = make_campaign(name="A", weight=10)
    b = make_campaign(name="B", weight=30, slots=["sidebar-top", "sidebar-top"])
    creatives = list(running_creatives("sidebar-top").select_related("campaign"))
    rng = random.Random(4711)

    draws = Counter(choose(creatives, rng).pk for _ in range(20_000))

    share = {pk: count / 20_000 for pk, count in draws.items()}
    assert share[a.creatives.get().pk] == pytest.approx(0.25, abs=0.015)
    for creative in b.creatives.all():
        assert share[creative.pk] == pytest.approx(0.375, abs=0.015)


def test_a_cached_page_still_rotates_and_counts(client):
    """The page holds only the frame's address; a cached copy is as good as a fresh one.

    Served twice, the article page is the same byte for byte (so any cache may
    keep it), while every load of the frame draws anew and is counted.
    """
    one = make_campaign(name="Eins", weight=10)
    two = make_campaign(name="Zwei", weight=10)
    article = make_article()

    first = client.get(article.get_absolute_url()).content
    second = client.get(article.get_absolute_url()).content
    seen = Counter(shown(client, "sidebar-top") for _ in range(60))

    assert first == second
    assert set(seen) == {one.creatives.get().alt_text, two.creatives.get().alt_text}
    counting.flush_impressions()
    assert sum(c.days.get().impressions for c in Creative.objects.all()) == 60


def test_ads_set_no_cookies_and_load_nothing_from_elsewhere(client):
    make_campaign(slots=["sidebar-top", "leaderboard", "sidebar-bottom", "article"])
    article = make_article()

    page = client.get(article.get_absolute_url())
    frames = [frame(client, name) for name in ("sidebar-top", "leaderboard", "article")]

    for response in [page, *frames]:
        assert not response.cookies
        html = response.content.decode()
        # Every address in src/href is our own (a path), except where an ad
        # leads: that goes through our counter, so it is a path too.
        assert not re.findall(r'(?:src|srcset)="(?:https?:)?//', html)
    for response in frames:
        assert not re.findall(r'href="(?:https?:)?//', response.content.decode())


def test_an_unknown_place_is_a_404(client):
    assert client.get("/anzeige/platz/gibt-es-nicht/").status_code == 404


def test_the_plus_box_shows_active_plus_vendors_on_every_page(client, monkeypatch):
    plus = [
        make_vendor(f"Plus {n} GmbH", plus=True, postcode=f"4{n}000", city="Köln")
        for n in range(5)
    ]
    make_vendor("Normal GmbH")
    make_vendor(
        "Abgelaufen GmbH",
        plus=True,
        listed_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    article = make_article()

    for url in ["/", article.get_absolute_url(), "/it-guide/", "/archiv/"]:
        html = client.get(url).content.decode()
        box = html[html.index('class="box plus-box"') :]
        box = box[: box.index("</section>")]
        names = re.findall(r'plus-box__name">([^<]+)<', box)
        assert len(names) == 3
        assert set(names) <= {vendor.name for vendor in plus}
        assert "Köln" in box

    # A quarter of an hour later another choice is shown.
    choices = set()
    for turn in range(8):
        monkeypatch.setattr(ads_tags, "plus_turn", lambda turn=turn: turn)
        html = client.get("/").content.decode()
        choices.add(tuple(re.findall(r'plus-box__name">([^<]+)<', html)))
    assert len(choices) > 1
