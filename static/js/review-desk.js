// The publishing bar (articles.admin.review): the publish button says "Planen" and
// when the article will appear once the publication time lies ahead, and
// "Veröffentlichen" when it would appear at once, while the editor changes the time.
(function () {
  function chosenTime() {
    const date = document.getElementById("id_publish_at_0");
    const time = document.getElementById("id_publish_at_1");
    if (!date || !date.value.trim()) return null;
    const d = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(date.value.trim());
    if (!d) return null;
    const t = /^(\d{1,2}):(\d{2})/.exec((time && time.value.trim()) || "00:00") || [0, 0, 0];
    return new Date(+d[3], +d[2] - 1, +d[1], +t[1], +t[2]);
  }

  function two(n) {
    return String(n).padStart(2, "0");
  }

  function update() {
    const button = document.getElementById("desk-publish");
    if (!button) return;
    const label = button.querySelector(".desk-button-label");
    const hint = button.querySelector(".desk-button-hint");
    if (!button.dataset.label) {
      button.dataset.label = label.textContent;
      button.dataset.hint = hint.textContent;
    }
    const when = chosenTime();
    if (when && when > new Date()) {
      label.textContent = "Planen";
      hint.textContent = `erscheint am ${two(when.getDate())}.${two(when.getMonth() + 1)}.${when.getFullYear()} um ${two(when.getHours())}:${two(when.getMinutes())} Uhr`;
    } else if (button.dataset.label === "Planen") {
      // Planned when the page was made, now at once.
      label.textContent = "Veröffentlichen";
      hint.textContent = "sofort sichtbar für alle Leser";
    } else {
      label.textContent = button.dataset.label;
      hint.textContent = button.dataset.hint;
    }
  }

  document.addEventListener("input", (event) => {
    if (event.target.id && event.target.id.startsWith("id_publish_at_")) update();
  });
  document.addEventListener("change", (event) => {
    if (event.target.id && event.target.id.startsWith("id_publish_at_")) update();
  });
  // The calendar and clock pop-ups set the value without an input event.
  document.addEventListener("click", () => setTimeout(update, 0));
  document.addEventListener("DOMContentLoaded", update);
})();
