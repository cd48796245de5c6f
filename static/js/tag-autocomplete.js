// Suggestions for the Stichwörter field: the word being typed after the last
// comma is completed from existing tags (the admin's autocomplete endpoint),
// offered through a native <datalist>, so keyboard and screen readers work.
(function () {
  function setUp(input) {
    const list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);
    let timer = null;
    let lastTerm = null;

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const value = input.value;
        const cut = value.lastIndexOf(",") + 1;
        const term = value.slice(cut).trim().replace(/^"/, "");
        if (!term || term === lastTerm) return;
        lastTerm = term;
        const url = new URL(input.dataset.autocompleteUrl, window.location.href);
        url.search = new URLSearchParams({
          app_label: "articles", model_name: "article", field_name: "tags", term,
        });
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) return;
        const { results } = await response.json();
        const head = value.slice(0, cut) + (cut ? " " : "");
        list.replaceChildren(...results.map(({ text }) => {
          const option = document.createElement("option");
          // Quoted as the form reads it: CSV style, inner quotes doubled.
          const name = /[,"]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
          option.value = head.replace(/\s+$/, cut ? " " : "") + name + ", ";
          option.label = text;
          return option;
        }));
      }, 150);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-autocomplete-url]").forEach(setUp);
  });
})();
