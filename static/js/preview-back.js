// "Zurück zum Bearbeiten" on the preview of the form as it is now: the form is
// still open in the window that opened this one, with everything typed, so
// this window closes (the browser shows the form again) instead of loading
// the form a second time. Opened some other way, the link leads to the form.
(function () {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-preview-back]");
    if (!link || !window.opener || window.opener.closed) return;
    event.preventDefault();
    try {
      window.opener.focus();
    } catch {
      // another site's window: nothing to focus
    }
    window.close();
  });
})();
