import pytest

from portal.lib.text import german_slugify, plain_text, sanitize_html


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Sachsen: Digitalstrategie überarbeitet", "sachsen-digitalstrategie-ueberarbeitet"),
        ("Öffentliche Verwaltung", "oeffentliche-verwaltung"),
        ("Straßenbeleuchtung & Co.", "strassenbeleuchtung-co"),
        ("Schul-IT", "schul-it"),
        (
            "„Chief Digital Officer“: Mädchen für alles",
            "chief-digital-officer-maedchen-fuer-alles",
        ),
        ("???", ""),
    ],
)
def test_german_slugs(text, slug):
    assert german_slugify(text) == slug


def test_long_slugs_are_cut_at_a_word():
    slug = german_slugify("Digitalisierung " * 40, max_length=50)

    assert len(slug) <= 50
    assert slug.endswith("digitalisierung")


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Text<script>alert(1)</script></p>", "<p>Text</p>"),
        ('<p onclick="steal()">Klick</p>', "<p>Klick</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="data:text/html,hi">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<p style="color:red">rot</p>', "<p>rot</p>"),
        ("<iframe src='https://evil.example'></iframe><p>ok</p>", "<p>ok</p>"),
        ("<!-- Kommentar --><p>ok</p>", "<p>ok</p>"),
        (
            "<h2>Zwischentitel</h2><ul><li><strong>fett</strong> <em>kursiv</em></li></ul>",
            "<h2>Zwischentitel</h2><ul><li><strong>fett</strong> <em>kursiv</em></li></ul>",
        ),
        (
            '<a href="https://www.it-planungsrat.de" title="IT-PLR">Link</a>',
            '<a href="https://www.it-planungsrat.de" title="IT-PLR" rel="noopener noreferrer">'
            "Link</a>",
        ),
        ("<blockquote>Zitat</blockquote>", "<blockquote>Zitat</blockquote>"),
        (
            '<p>Tempo.<sup class="fn" onclick="x()">1</sup> CO<sub style="x">2</sub></p>',
            "<p>Tempo.<sup>1</sup> CO<sub>2</sub></p>",
        ),
        (
            '<a href="https://www.bsi.bund.de/" title="">BSI</a>',
            '<a href="https://www.bsi.bund.de/" rel="noopener noreferrer">BSI</a>',
        ),
    ],
)
def test_rich_text_keeps_only_the_allow_list(dirty, clean):
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize(
    ("value", "css"),
    [
        ("Verwaltung Digital", "Verwaltung Digital"),
        ('Ein "Zitat"', "Ein \\22 Zitat\\22 "),
        ("</style><script>", "\\3c /style\\3e \\3c script\\3e "),
        ("a\\b", "a\\5c b"),
        ("Zeile\nneu", "Zeile\\a neu"),
    ],
)
def test_css_strings_cannot_break_out(value, css):
    from articles.templatetags.printing import css_string

    assert css_string(value) == css


def test_rich_text_becomes_plain_text_with_paragraphs_lists_and_link_addresses():
    html = (
        "<h2>Laufzeit</h2><p>Der Vertrag\n läuft <strong>ein Jahr</strong>.<br>Danach "
        '<a href="https://example.org/agb/">monatlich</a> kündbar &amp; mehr.</p>'
        '<ul><li>eins</li><li>zwei<ol start="3"><li>drei</li></ol></li><li>vier</li></ul>'
        '<p>Post an <a href="mailto:abo@example.org">abo@example.org</a></p>'
    )

    assert plain_text(html) == (
        "Laufzeit\n\n"
        "Der Vertrag läuft ein Jahr.\n"
        "Danach monatlich (https://example.org/agb/) kündbar & mehr.\n\n"
        "– eins\n– zwei\n   3. drei\n– vier\n\n"
        "Post an abo@example.org"
    )
