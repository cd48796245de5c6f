// Names for the admin's fields that screen readers would otherwise announce
// without one (axe: "label", "aria-input-field-name"):
// - the rich-text editor's text box, named by its field's label;
// - the autocomplete fields (select2), named by their label and value;
// - fields in table rows (inline rows, editable lists), named by their column;
// - date and time fields, named by their field and "Datum"/"Zeit";
// - the help icons of the two-list selector.
// Widgets appear late (select2, the editor) or on demand (a new inline row),
// so this runs again whenever the page changes.
(function () {
  function labelText(label) {
    return label.textContent.replace(/:\s*$/, "").trim();
  }

  function labelId(label) {
    if (!label.id) label.id = `${label.htmlFor}-label`;
    return label.id;
  }

  function nameEditors() {
    document.querySelectorAll(".prose-editor").forEach((wrapper) => {
      const textarea = wrapper.querySelector("textarea[id]");
      const box = wrapper.querySelector('[contenteditable="true"][role="textbox"]');
      const label = textarea && document.querySelector(`label[for="${textarea.id}"]`);
      if (box && label && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-labelledby", labelId(label));
        box.setAttribute("aria-multiline", "true");
      }
    });
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete[id]").forEach((select) => {
      const container = select.nextElementSibling;
      const label = document.querySelector(`label[for="${select.id}"]`);
      if (!label || !container || !container.classList.contains("select2")) return;
      const combobox = container.querySelector('[role="combobox"]');
      const rendered = container.querySelector(".select2-selection__rendered");
      if (combobox && select.multiple) {
        combobox.setAttribute("aria-labelledby", labelId(label));
      } else if (combobox && rendered && rendered.id) {
        // "Bereich: Politik": the label, then what is chosen.
        combobox.setAttribute("aria-labelledby", `${labelId(label)} ${rendered.id}`);
        // Not a second, empty "textbox" inside the combobox.
        rendered.removeAttribute("role");
        rendered.removeAttribute("aria-readonly");
      }
      const search = container.querySelector(".select2-search__field");
      if (search) search.setAttribute("aria-label", labelText(label));
    });
  }

  function nameDateTimes() {
    // Django's label of a date-and-time field points at neither input; each
    // input has its own "Datum:"/"Zeit:" label (split_datetime.html). Both
    // together say which: "Beginn: Datum", "Ende: Zeit".
    document.querySelectorAll("p.datetime").forEach((pair) => {
      const row = pair.closest(".fieldBox, .form-row");
      const label = row && row.querySelector("label:not([for])");
      if (!label) return;
      if (!label.id) label.id = `${pair.querySelector("input[id]").id}-field-label`;
      pair.querySelectorAll("input[id]").forEach((input) => {
        const own = pair.querySelector(`label[for="${input.id}"]`);
        if (own) input.setAttribute("aria-labelledby", `${label.id} ${labelId(own)}`);
      });
    });
  }

  function nameTableCells() {
    document.querySelectorAll("table").forEach((table) => {
      const heads = table.tHead && table.tHead.rows[0];
      if (!heads) return;
      // Column positions, counting colspans in the head.
      const columns = [];
      // A sortable list's head also holds the sort priority ("1"): only its text.
      Array.from(heads.cells).forEach((th) => {
        const text = (th.querySelector(".text") || th).textContent.replace(/\s+/g, " ").trim();
        for (let i = 0; i < th.colSpan; i++) columns.push(text);
      });
      Array.from(table.tBodies).forEach((body) => Array.from(body.rows).forEach((row) => {
        let column = 0;
        Array.from(row.cells).forEach((cell) => {
          const name = columns[column];
          column += cell.colSpan;
          if (!name) return;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((field) => {
            const labelled = field.labels && field.labels.length;
            if (!labelled && !field.hasAttribute("aria-label")) field.setAttribute("aria-label", name);
          });
        });
      }));
    });
  }

  function nameTooltips() {
    // The search icons of the two-list selector (filter_horizontal) carry
    // their help as aria-label on a plain span, which readers ignore.
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  }

  function nameAll() {
    nameTooltips();
    nameEditors();
    nameAutocompletes();
    nameDateTimes();
    nameTableCells();
  }

  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      nameAll();
    }, 0);
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameAll);
})();
