// The article form's search-result and card previews (issue 24, point 8;
// templates/admin/articles/article/writing_preview.html), kept current while the
// editor types: SEO title or headline, SEO description or teaser, cut where
// search engines cut them; the social picture or the lead picture.
(function () {
  const $ = (id) => document.getElementById(id);

  // Cut at a word boundary before ``max`` characters, as search engines do, with "…".
  function cut(text, max) {
    const clean = text.replace(/\s+/g, " ").trim();
    if (clean.length <= max) return clean;
    const part = clean.slice(0, max - 1);
    const space = part.lastIndexOf(" ");
    return `${(space > max * 0.6 ? part.slice(0, space) : part).replace(/[\s,;:.–-]+$/, "")} …`;
  }

  function value(id) {
    const element = $(id);
    return element ? element.value : "";
  }

  function countTextarea(area) {
    const counter = $(`${area.id}_count`);
    if (!counter) return;
    const max = Number(counter.dataset.max);
    counter.textContent = `${area.value.length} von ${max} Zeichen`;
    counter.classList.toggle("char-count--near", max && area.value.length > 0.9 * max);
  }

  function update(preview) {
    const portal = preview.dataset.portal;
    const titleLength = Number(preview.dataset.titleLength);
    const descriptionLength = Number(preview.dataset.descriptionLength);
    const headline = value("id_headline").trim();
    const kicker = value("id_kicker").trim();
    const articleTitle = kicker ? `${kicker}: ${headline}` : headline;
    const seoTitle = value("id_seo_title").trim();
    const seoDescription = value("id_seo_description").trim();
    const teaser = value("id_teaser").trim();
    // The page's <title>: the SEO title as it is, else the title with the portal's name.
    const title = seoTitle || (articleTitle ? `${articleTitle} – ${portal}` : "");
    const description = seoDescription || teaser;

    preview.querySelector(".serp__url").textContent =
      `${window.location.host}${preview.dataset.path}`.replace(/\/$/, "").split("/").join(" › ");
    preview.querySelector(".serp__title").textContent = cut(title, titleLength) || "Noch keine Überschrift";
    preview.querySelector(".serp__description").textContent = cut(description, descriptionLength) || "Noch kein Vorspann";
    const notes = [];
    notes.push(seoTitle ? "Titel: SEO-Titel." : "Titel: aus der Überschrift (kein SEO-Titel).");
    if (title.length > titleLength) notes.push(`Der Titel ist ${title.length} Zeichen lang und wird nach etwa ${titleLength} gekürzt.`);
    notes.push(seoDescription ? "Beschreibung: SEO-Beschreibung." : "Beschreibung: aus dem Vorspann (keine SEO-Beschreibung).");
    if (description.length > descriptionLength) notes.push(`Die Beschreibung wird nach etwa ${descriptionLength} Zeichen gekürzt.`);
    preview.querySelector(".serp__note").textContent = notes.join(" ");

    preview.querySelector(".social-card__host").textContent = window.location.host;
    preview.querySelector(".social-card__title").textContent = cut(seoTitle || articleTitle, 90) || "Noch keine Überschrift";
    preview.querySelector(".social-card__description").textContent = cut(description, 120);
  }

  async function showPicture(preview) {
    const chosen = value("id_social_image") || value("id_lead_image");
    const frame = preview.querySelector(".social-card__image");
    if (!chosen) {
      frame.replaceChildren(Object.assign(document.createElement("span"), { className: "social-card__none", textContent: "Kein Bild gewählt" }));
      return;
    }
    try {
      const base = window.location.pathname.replace(/\/(add|[0-9]+\/change)\/?$/, "/");
      const response = await fetch(`${base}bild-karte/${encodeURIComponent(chosen)}/`, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      const img = Object.assign(document.createElement("img"), { src: data.url, alt: data.alt || "" });
      frame.replaceChildren(img);
    } catch (_e) {
      // The preview keeps the picture it had.
    }
  }

  // The hand-picked articles are chosen in autocomplete fields in table rows,
  // which have no label of their own: each is named by its column and row.
  function namePicks() {
    document.querySelectorAll('select[id^="id_related_picks-"][id$="-picked"]').forEach((select) => {
      const container = select.nextElementSibling;
      const combobox = container && container.querySelector('[role="combobox"]');
      const row = /-(\d+)-picked$/.exec(select.id);
      if (!combobox || !row || combobox.hasAttribute("aria-label")) return;
      const rendered = container.querySelector(".select2-selection__rendered");
      const name = `Artikel zum Thema ${Number(row[1]) + 1}`;
      combobox.setAttribute("aria-label", name);
      combobox.removeAttribute("aria-labelledby");
      if (rendered) {
        rendered.removeAttribute("role");
        rendered.removeAttribute("aria-readonly");
      }
    });
  }

  window.addEventListener("load", () => {
    namePicks();
    const group = document.getElementById("related_picks-group");
    if (group) new MutationObserver(namePicks).observe(group, { childList: true, subtree: true });
  });

  document.addEventListener("DOMContentLoaded", () => {
    const preview = document.querySelector(".writing-preview");
    const area = $("id_seo_description");
    if (area) area.addEventListener("input", () => countTextarea(area));
    if (!preview) return;
    update(preview);
    document.addEventListener("input", (event) => {
      if (["id_headline", "id_kicker", "id_seo_title", "id_seo_description", "id_teaser"].includes(event.target.id)) {
        update(preview);
      }
    });
    // The pictures are chosen in autocomplete fields, which say so through jQuery.
    for (const id of ["id_social_image", "id_lead_image"]) {
      const select = $(id);
      if (!select) continue;
      if (window.django && window.django.jQuery) {
        window.django.jQuery(select).on("change", () => showPicture(preview));
      } else {
        select.addEventListener("change", () => showPicture(preview));
      }
    }
  });
})();
