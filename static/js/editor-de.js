// German for the rich-text editor (django-prose-editor): dialog texts its own
// catalogue lacks, and the toolbar's tooltips, which it does not translate.
(function () {
  // The editor module reads window.gettext when it loads (after this classic
  // script), so wrapping it here is enough. django.catalog itself is out of
  // reach: the admin's jquery.init.js replaces window.django.
  const extra = {
    "Browse...": "Durchsuchen …",
    "Add caption": "Bildunterschrift hinzufügen",
    "Remove caption": "Bildunterschrift entfernen",
    "Edit Image": "Bild bearbeiten",
    "Caption": "Bildunterschrift",
    "Bullets": "Aufzählungszeichen",
  };
  const gettext = window.gettext || ((msgid) => msgid);
  window.gettext = (msgid) => extra[msgid] || gettext(msgid);

  const titles = {
    "paragraph": "Absatz",
    "heading 2": "Zwischenüberschrift",
    "heading 3": "Unterüberschrift",
    "unordered list": "Aufzählung",
    "ordered list": "Nummerierte Liste",
    "List properties": "Listeneigenschaften",
    "blockquote": "Zitat",
    "figure": "Bild einfügen",
    "bold": "Fett",
    "italic": "Kursiv",
    "superscript": "Hochgestellt",
    "subscript": "Tiefgestellt",
    "insert link": "Link einfügen",
    "remove link": "Link entfernen",
    "undo": "Rückgängig",
    "redo": "Wiederholen",
  };

  // The block-type menu lists its choices as sample text ("Paragraph",
  // "Heading 2") that no catalogue reaches.
  const samples = {
    "Paragraph": "Absatz",
    "Heading 2": "Zwischenüberschrift",
    "Heading 3": "Unterüberschrift",
  };

  function translate(root) {
    root.querySelectorAll("p, h2, h3").forEach((element) => {
      const german = samples[element.textContent];
      if (german && !element.closest('[contenteditable="true"]')) element.textContent = german;
    });
    root.querySelectorAll("[title]").forEach((element) => {
      const german = titles[element.getAttribute("title")];
      if (german) {
        element.setAttribute("title", german);
        element.setAttribute("aria-label", german);
      }
    });
  }

  new MutationObserver((changes) => {
    changes.forEach((change) => change.addedNodes.forEach((node) => {
      if (node.nodeType === 1) translate(node);
    }));
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", () => translate(document));
})();
