// The article form's small helpers:
// - "27 von 200 Zeichen" under the headline and kicker, kept current while typing;
// - "Jetzt" beside the publication time sets hours and minutes, no seconds
//   (publication times are to the minute; the server drops seconds as well).
(function () {
  function count(input) {
    const counter = document.getElementById(`${input.id}_count`);
    if (!counter) return;
    const max = counter.dataset.max;
    counter.textContent = `${input.value.length} von ${max} Zeichen`;
    counter.classList.toggle("char-count--near", max && input.value.length > 0.9 * max);
  }

  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("input[aria-describedby]")) count(event.target);
  });

  function withoutSeconds(input) {
    const match = /^(\d{1,2}:\d{2}):\d{2}$/.exec(input.value.trim());
    if (match) input.value = match[1];
  }

  window.addEventListener("load", () => {
    const shortcuts = window.DateTimeShortcuts;
    if (!shortcuts || !shortcuts.handleClockQuicklink) return;
    const original = shortcuts.handleClockQuicklink;
    shortcuts.handleClockQuicklink = function (num, value) {
      original.call(this, num, value);
      const input = shortcuts.clockInputs[num];
      if (input && input.dataset.minutes) withoutSeconds(input);
    };
  });
})();
