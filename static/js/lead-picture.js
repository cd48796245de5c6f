// The lead picture chooser: the admin's autocomplete (select2), with a thumbnail
// beside each caption in the results and a preview of the chosen picture.
// Thumbnails are the small 3:2 renditions the autocomplete answer names
// (ImageAdmin.autocomplete_extra), never the originals.
'use strict';
{
  // Loaded before the admin's jQuery may be: looked up when the page is ready.
  let $ = null;

  function row(item, thumbnail) {
    const line = document.createElement("span");
    line.className = "lead-picture-option";
    if (thumbnail) {
      const img = document.createElement("img");
      img.src = thumbnail;
      img.alt = "";
      img.width = 72;
      img.height = 48;
      line.append(img);
    }
    const text = document.createElement("span");
    text.textContent = item.text;
    line.append(text);
    return line;
  }

  function thumbnailOf(item) {
    return item.thumbnail || (item.element && item.element.dataset.thumbnail) || "";
  }

  function setUp(select) {
    const preview = document.createElement("img");
    preview.className = "lead-picture-preview";
    preview.alt = "";
    preview.width = 192;
    preview.height = 128;
    const show = (thumbnail) => {
      preview.hidden = !thumbnail;
      if (thumbnail) preview.src = thumbnail;
    };
    if ($(select).data("select2")) $(select).select2("destroy");
    $(select).select2({
      ajax: {
        data: (params) => ({
          term: params.term,
          page: params.page,
          app_label: select.dataset.appLabel,
          model_name: select.dataset.modelName,
          field_name: select.dataset.fieldName,
        }),
      },
      templateResult: (item) => (item.loading || !item.id ? item.text : row(item, thumbnailOf(item))),
      templateSelection: (item) => (item.id ? row(item, thumbnailOf(item)) : item.text),
    });
    $(select).on("select2:select", (event) => show(thumbnailOf(event.params.data)));
    $(select).on("select2:clear", () => show(""));
    const chosen = select.selectedOptions[0];
    show(chosen && chosen.value ? chosen.dataset.thumbnail : "");
    select.parentElement.append(preview);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $ = django.jQuery;
    // After the admin's own set-up (autocomplete.js), which this one replaces.
    $(() => document.querySelectorAll("select.lead-picture-chooser").forEach(setUp));
  });
}
