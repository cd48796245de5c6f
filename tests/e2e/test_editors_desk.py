"""The editor's desk in the browser (issue 24, points 3 and 6): the article list fits
1280 and 1440 px, the form starts with a wide headline that counts its characters,
"Jetzt" sets no seconds, and the editor's menus speak German."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from articles.revisions import save_revision
from portal.lib.images import make_renditions
from tests.conftest import make_staff
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_journeys import log_in
from tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(django_user_model):
    """A Redaktion editor with a long name and a page of articles with long words."""
    editor = make_staff(django_user_model, "redakteurin", "Redaktion")
    editor.first_name, editor.last_name = "Maximiliane", "Müller-Lüdenscheidt"
    editor.save()
    section = make_section("Informationstechnik", slug="it")
    picture = make_image()
    make_renditions(picture)
    draft = None
    for n in range(20):
        article = make_article(
            section=section,
            kicker="Mecklenburg-Vorpommern",
            headline=f"Verwaltungsdigitalisierungsbeschleunigungsgesetz im Kabinett {n}",
            author=editor,
            byline="mml",
            lead_image=picture if n % 2 else None,
            status=[Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.PUBLISHED][n % 3],
            publish_at=timezone.now() + datetime.timedelta(days=n - 10),
        )
        save_revision(article, editor, "Angelegt")
        if article.status == Article.Status.DRAFT:
            draft = article
    return {"editor": editor, "draft": draft}


def overflow(page):
    """(table scrollWidth, its container's clientWidth, the page's overflow to the side)."""
    return page.evaluate(
        """() => {
            const table = document.querySelector('#result_list');
            const box = table.parentElement;
            return [table.scrollWidth, box.clientWidth,
                    document.documentElement.scrollWidth - window.innerWidth];
        }"""
    )


def test_point_6_the_article_list_fits_1280_and_1440_px(page, desk):
    log_in(page, "redakteurin")
    page.goto("/admin/articles/article/")

    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        table, box, page_overflow = overflow(page)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"admin-article-list-{width}.png")
        cells = page.evaluate(
            "() => [...document.querySelector('#result_list').tHead.rows[0].cells]"
            ".map(c => c.offsetWidth)"
        )
        assert table <= box, f"the table is {table} px wide in {box} px at {width} px: {cells}"
        assert page_overflow <= 0

    heads = [
        h.replace("\xad", "") for h in page.locator("#result_list thead th").all_inner_texts()
    ]
    for column in ("ÜBERSCHRIFT", "BEREICH", "STATUS", "VERÖFFENTLICHUNG", "AUTOR"):
        assert any(column in head.upper() for head in heads)
    assert any("ZULETZT GEÄNDERT" in head.upper() for head in heads)
    first_row = page.locator("#result_list tbody tr").first
    assert "Maximiliane Müller-Lüdenscheidt" in first_row.inner_text()
    assert page.get_by_role("link", name="Geplant", exact=True).is_visible()


def test_point_6_the_form_starts_with_a_wide_headline_that_counts(page, desk):
    log_in(page, "redakteurin")
    page.goto(f"/admin/articles/article/{desk['draft'].pk}/change/")

    first = page.locator("form#article_form :is(input, select, textarea):visible").first
    assert first.get_attribute("name") == "headline"
    headline = page.get_by_label("Überschrift")
    assert headline.bounding_box()["width"] >= 600

    headline.fill("Digitalstrategie überarbeitet")
    assert page.locator("#id_headline_count").inner_text() == "29 von 200 Zeichen"

    page.get_by_role("link", name="Jetzt", exact=True).click()
    assert len(page.locator("#id_publish_at_1").input_value()) == 5  # "10:30", no seconds

    page.get_by_role("textbox", name="Text").click()
    page.locator(".prose-menubar__selected").first.click()
    menu = page.locator(".prose-menubar").inner_text()
    assert "Zwischenüberschrift" in menu and "Absatz" in menu
    assert "Heading" not in menu and "Paragraph" not in menu
    page.keyboard.press("Escape")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "admin-article-form-1280.png", full_page=True)
