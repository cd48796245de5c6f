"""Steps in the article form's rich-text editor that several browser tests take."""

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect


def insert_info_box(page, title_end, text):
    """ "Info-Kasten einfügen" at the cursor; its title "Info" + ``title_end``, then ``text``."""
    page.get_by_role("button", name="Info-Kasten einfügen").click()
    box = page.locator(".ProseMirror >> visible=true").first.locator("aside.infobox")
    expect(box).to_have_count(1)
    box.locator("h2").click()
    page.keyboard.press("End")
    page.keyboard.type(title_end)
    box.locator("p").click()
    page.keyboard.type(text)


def insert_table(page, head, *rows):
    """ "Tabelle einfügen" at the cursor, with a header row ``head`` and ``rows`` typed in."""
    page.get_by_role("button", name="Tabelle einfügen").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Zeilen (ohne Kopfzeile)").fill(str(len(rows)))
    dialog.get_by_label("Spalten").fill(str(len(head)))
    dialog.get_by_role("button", name="Tabelle einfügen").click()
    expect(page.locator(".ProseMirror >> visible=true").first.locator("table")).to_have_count(1)
    cells = [cell for row in (head, *rows) for cell in row]
    for text in cells[:-1]:
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    page.keyboard.type(cells[-1])  # a Tab in the last cell would add a row


# The editor's selection as ProseMirror holds it (the first editor on the page: the body).
SELECTION_EMPTY = (
    "() => document.querySelector('.tiptap.ProseMirror')?.editor?.state.selection.empty"
)
EDITOR_FOCUSED = "() => document.activeElement?.classList.contains('ProseMirror')"


def to_end_of_line(page):
    """Press End as a person would, once the editor has its focus back, until the cursor moved.

    After a dialog (link, picture) closes, the editor gets its focus and its
    selection from the browser a moment later; an End pressed before that goes
    nowhere, and Enter would then replace the still selected words.
    """
    expect(page.locator("dialog[open]")).to_have_count(0)
    page.wait_for_function(EDITOR_FOCUSED, polling=100)
    for _attempt in range(3):
        page.keyboard.press("End")
        try:
            page.wait_for_function(SELECTION_EMPTY, polling=100, timeout=3_000)
            return
        except PlaywrightTimeoutError:
            continue
    page.wait_for_function(SELECTION_EMPTY, polling=100)
