"""Steps in the article form's rich-text editor that several browser tests take."""

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
