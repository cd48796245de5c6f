"""Two people on the draft of a change to a live article (issue 24, points 4 and 7): their
saves into the working copy are settled field by field, each sees the other, and restoring
an old version drafts it instead of putting it live."""

import datetime
import json
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from articles.review import WorkingCopy
from articles.revisions import save_revision
from tests.conftest import logged_in, make_staff
from tests.factories import article_form, make_article, make_section

pytestmark = pytest.mark.django_db

TAB_A, TAB_B = "tab-aaaa-0001", "tab-bbbb-0002"
HEADLINE = "Digitalstrategie überarbeitet"


def person(django_user_model, username, first, last, group):
    user = make_staff(django_user_model, username, group)
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def rita(django_user_model):
    """Redaktion: may propose a change to a live article, not publish it."""
    return logged_in(person(django_user_model, "rredlich", "Rita", "Redlich", "Redaktion"))


@pytest.fixture
def clara(django_user_model):
    return logged_in(person(django_user_model, "cchef", "Clara", "Chef", "Chefredaktion"))


@pytest.fixture
def live():
    """A published article whose stored values are those article_form() posts unchanged."""
    article = make_article(
        section=make_section("Politik", slug="politik"),
        kicker="Sachsen",
        headline=HEADLINE,
        teaser="Die Strategie liegt vor.",
        body="<p>Text</p>",
        byline="ba",
        tags=["Politik", "OZG"],
        # To the minute, as the form keeps it (ArticleForm.clean_publish_at).
        publish_at=(timezone.now() - datetime.timedelta(hours=1)).replace(second=0, microsecond=0),
    )
    save_revision(article, comment="Angelegt")
    return article


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def open_form(client, article):
    """What the opened form carries to its save: its version and each field's fingerprint."""
    form = client.get(change_url(article)).context["adminform"].form
    return {
        "loaded_version": str(form["loaded_version"].value()),
        "loaded_fields": form["loaded_fields"].value(),
    }


def save(client, article, opened, links=(), **fields):
    """The bar's "Speichern" (or another button) with these fields, the rest as the form
    shows them; a live article's save goes into its draft."""
    when = timezone.localtime(article.publish_at)
    fields.setdefault("_workflow", "save")
    data = article_form(
        article.section, slug=article.slug, status="published",
        publish_at_0=when.strftime("%d.%m.%Y"), publish_at_1=when.strftime("%H:%M"),
        **opened, **fields,
    )  # fmt: skip
    data.update({"links-INITIAL_FORMS": "0", "links-TOTAL_FORMS": str(len(links))})
    for n, (label, url) in enumerate(links):
        data.update({f"links-{n}-label": label, f"links-{n}-url": url, f"links-{n}-position": n})
    return client.post(change_url(article), data)


def again(client, article, refused, choices, **fields):
    """Save once more from the conflict page, with its preselected choices and these."""
    html = refused.content.decode()
    chosen = dict(re.findall(r'name="keep-(\w+)" value="(\w+)" required checked', html))
    chosen.update(choices)
    form = refused.context["adminform"].form
    opened = {
        "loaded_version": str(form["loaded_version"].value()),
        "loaded_fields": form["loaded_fields"].value(),
    }
    keep = {f"keep-{name}": value for name, value in chosen.items()}
    return save(client, article, opened, **keep, **fields)


def public_page(client, article):
    return client.get(article.get_absolute_url()).content.decode()


def draft_of(article):
    return WorkingCopy.objects.get(article=article)


def test_point_7_two_editors_saving_into_the_draft_of_a_live_article_settle_field_by_field(
    rita, clara, client, live
):
    assert save(rita, live, open_form(rita, live), kicker="Dresden").status_code == 302
    # Both open the form on the draft (the kicker the form shows is the draft's).
    ritas_form, claras_form = open_form(rita, live), open_form(clara, live)
    assert json.loads(ritas_form["loaded_fields"])["c"] == draft_of(live).mark
    claras = save(
        clara, live, claras_form, kicker="Dresden", headline="Claras Überschrift",
        links=[("Land Sachsen", "https://www.sachsen.de")],
    )  # fmt: skip
    assert claras.status_code == 302
    saved_at = draft_of(live).updated_at

    refused = save(
        rita, live, ritas_form, kicker="Dresden", headline="Ritas Überschrift",
        teaser="Ritas Vorspann",
    )  # fmt: skip

    assert refused.status_code == 200
    html = refused.content.decode()
    when = date_format(timezone.localtime(saved_at), "j.n.Y, H:i:s")
    assert (
        f"Der Entwurf der Änderung wurde inzwischen von Clara Chef gespeichert ({when} Uhr)"
        in html
    )
    assert "Die von Clara Chef behalten" in html
    conflict = refused.context["adminform"].form.conflict
    # Both changed the headline: a choice; the teaser is Rita's, the links Clara's.
    assert {f.name: f.choice for f in conflict.fields} == {
        "headline": None,
        "teaser": "mine",
        "links": "theirs",
    }
    assert draft_of(live).data["headline"] == "Claras Überschrift"  # nothing overwritten

    saved = again(
        rita, live, refused, {"headline": "theirs"}, kicker="Dresden",
        headline="Ritas Überschrift", teaser="Ritas Vorspann",
    )  # fmt: skip

    assert saved.status_code == 302
    draft = draft_of(live).data
    assert (draft["kicker"], draft["headline"], draft["teaser"]) == (
        "Dresden",
        "Claras Überschrift",
        "Ritas Vorspann",
    )
    assert draft["links"] == [["Land Sachsen", "https://www.sachsen.de"]]
    # The live article stayed as readers know it all along.
    live.refresh_from_db()
    assert (live.kicker, live.headline, live.teaser) == (
        "Sachsen",
        HEADLINE,
        "Die Strategie liegt vor.",
    )
    assert not live.links.exists()
    page = public_page(client, live)
    assert HEADLINE in page and "Claras Überschrift" not in page and "Ritas Vorspann" not in page


def test_point_7_a_draft_begun_after_the_form_was_opened_is_met_too(rita, clara, live):
    ritas_form, claras_form = open_form(rita, live), open_form(clara, live)
    save(clara, live, claras_form, headline="Claras Überschrift")

    refused = save(rita, live, ritas_form, headline="Ritas Überschrift")

    assert refused.status_code == 200
    assert "Der Entwurf der Änderung wurde inzwischen von Clara Chef gespeichert" in (
        refused.content.decode()
    )
    assert draft_of(live).data["headline"] == "Claras Überschrift"


def test_point_7_saving_into_the_draft_with_nobody_between_is_not_stopped(rita, live):
    assert save(rita, live, open_form(rita, live), headline="Erster Entwurf").status_code == 302
    first = draft_of(live).version

    response = save(rita, live, open_form(rita, live), headline="Zweiter Entwurf")

    assert response.status_code == 302
    draft = draft_of(live)
    assert (draft.data["headline"], draft.version) == ("Zweiter Entwurf", first + 1)
    live.refresh_from_db()
    assert live.headline == HEADLINE


def test_point_4_redaktion_proposing_a_change_and_chefredaktion_see_each_other(
    rita, clara, live, django_user_model
):
    url = f"/admin/articles/article/{live.pk}/anwesenheit/"
    form = rita.get(change_url(live))
    assert form.context["presence_url"] == url  # Rita's form announces her

    assert rita.post(url, {"tab": TAB_A}).status_code == 200
    seen_by_clara = clara.post(url, {"tab": TAB_B}).json()["text"]
    seen_by_rita = rita.post(url, {"tab": TAB_A}).json()["text"]

    assert seen_by_clara.startswith("Auch geöffnet von Rita Redlich seit ")
    assert seen_by_rita.startswith("Auch geöffnet von Clara Chef seit ")
    assert "Auch geöffnet von Clara Chef" in rita.get(change_url(live)).content.decode()
    ads = logged_in(make_staff(django_user_model, "anzeigen", "Anzeigen"))
    assert ads.post(url, {"tab": TAB_B}).status_code == 403


@pytest.mark.parametrize("who", ["rita", "clara"])
def test_point_7_restoring_an_old_version_of_a_live_article_drafts_it(
    who, request, clara, client, live
):
    save(clara, live, open_form(clara, live), headline="Neue Überschrift", _workflow="publish")
    live.refresh_from_db()
    assert live.headline == "Neue Überschrift"
    revisions = live.revisions.count()
    restorer = request.getfixturevalue(who)
    url = f"/admin/articles/article/{live.pk}/versionen/1/wiederherstellen/"

    question = restorer.get(url).content.decode()

    assert "Der Inhalt dieser Version kommt in den Entwurf der Änderung" in question
    assert "Version 1 in den Entwurf übernehmen" in question

    done = restorer.post(url, follow=True)

    assert done.status_code == 200
    assert (
        "Version 1 steht jetzt im Entwurf der Änderung. Veröffentlicht bleibt die bisherige "
        "Fassung, bis die Änderungen veröffentlicht werden."
    ) in done.content.decode()
    live.refresh_from_db()
    assert (live.headline, live.status) == ("Neue Überschrift", Article.Status.PUBLISHED)
    assert live.revisions.count() == revisions  # no new live version
    page = public_page(client, live)
    assert "Neue Überschrift" in page and HEADLINE not in page
    preview = restorer.get(f"/admin/articles/article/{live.pk}/vorschau/").content.decode()
    assert HEADLINE in preview
    assert f'value="{HEADLINE}"' in restorer.get(change_url(live)).content.decode()
