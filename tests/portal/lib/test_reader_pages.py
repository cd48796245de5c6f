"""Which pages the page cache serves, and which query parameters make a different page."""

import pytest
from django.urls import resolve

SEARCH = ("q", "page", "sortierung", "bereich", "art", "stichwort", "von", "bis")


def marked_params(path):
    view = resolve(path).func
    return getattr(getattr(view, "view_class", view), "reader_page_params", None)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/", ()),
        ("/impressum/", ()),
        ("/datenschutz/", ()),
        ("/artikel/1-digitalstrategie/", ()),
        ("/artikel/1-digitalstrategie/druck/", ()),
        ("/rubrik/politik/", ("page",)),
        ("/stichwort/ozg/", ("page",)),
        ("/archiv/", ()),
        ("/archiv/2019/", ()),
        ("/archiv/2019/07/", ("page",)),
        ("/suche/", SEARCH),
        ("/it-guide/", ("kategorie", "plz", "ort", "q", "page")),
        ("/it-guide/xsuite-group/", ()),
    ],
)
def test_reader_pages_say_so_where_they_are_defined(path, params):
    assert marked_params(path) == params


@pytest.mark.parametrize(
    "path",
    [
        "/artikel/1-digitalstrategie/pdf/",  # stored PDFs have their own cache
        "/abo/kuendigen/",
        "/newsletter/",
        "/admin/",
    ],
)
def test_forms_pdfs_and_the_back_office_are_no_reader_pages(path):
    assert marked_params(path) is None
