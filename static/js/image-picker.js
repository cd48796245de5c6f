// The picture picker opened by the rich-text editor: hand the chosen picture
// back through the editor's CKEditor-style callback and close the popup.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-pick-image]");
  if (!button) return;
  const callback = Number(document.getElementById("image-picker").dataset.callback);
  const editor = window.opener && window.opener.CKEDITOR;
  if (!editor) {
    window.alert("Bitte öffnen Sie die Bildauswahl aus dem Texteditor des Artikels.");
    return;
  }
  editor.tools.callFunction(callback, button.dataset.url, {
    id: button.dataset.id,
    alternative_text: button.dataset.alt,
    caption: button.dataset.caption,
  });
  window.close();
});
