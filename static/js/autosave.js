// Nothing typed is lost (issue 24, point 1). The article form
// - keeps an autosave of its fields on the server (articles/admin/autosave.py)
//   a few seconds after a change, and at once when the page is hidden or closed;
// - offers it back when the form is opened again ("Wiederherstellen" /
//   "Verwerfen"), into every field and the rich-text editor;
// - warns before the page is left with changes not saved;
// - saves with Ctrl+S / Cmd+S ("Sichern und weiter bearbeiten");
// - opens "Vorschau" (the form as it is now) in one window per article.
// Texts come from the template (autosave.html), translated there.
(function () {
  "use strict";

  const DELAY = 3000; // after a change, before it is autosaved
  const RETRY = 15000; // after a failed autosave
  // Not part of what the editor typed.
  const SKIP = new Set(["csrfmiddlewaretoken", "autosave_key"]);

  let root, form, keyInput;
  let baseline = null; // the fields as the server sent them
  let lastSaved = null; // the fields as last autosaved
  let timer = null;
  let inflight = null;
  let submitting = false;
  let offerOpen = false;

  function text(name, values = {}) {
    return (root.dataset[name] || "").replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");
  }

  function controls() {
    return Array.from(form.elements).filter(
      (el) =>
        el.name &&
        !SKIP.has(el.name) &&
        !el.name.includes("__prefix__") &&
        !el.disabled &&
        !["file", "submit", "button", "reset", "image"].includes(el.type),
    );
  }

  // The fields as the browser would post them; with ``defaults``, as the server sent them.
  function state(defaults) {
    const fields = [];
    const labels = {};
    for (const el of controls()) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (defaults ? el.defaultChecked : el.checked) fields.push([el.name, el.value]);
      } else if (el.tagName === "SELECT") {
        const options = Array.from(el.options);
        let chosen = options.filter((o) => (defaults ? o.defaultSelected : o.selected));
        if (defaults && !el.multiple) {
          // As the browser shows it: the last marked option, else the first.
          chosen = chosen.length ? chosen.slice(-1) : options.slice(0, 1);
        }
        for (const option of chosen) {
          fields.push([el.name, option.value]);
          if (option.value) (labels[el.name] ||= {})[option.value] = option.text;
        }
      } else {
        fields.push([el.name, defaults ? el.defaultValue : el.value]);
      }
    }
    return { fields, labels };
  }

  const asText = (fields) => JSON.stringify(fields);

  function changed() {
    return root.hasAttribute("data-unsaved") || asText(state(false).fields) !== baseline;
  }

  // What the server should do now: "sichern" (with the fields), "verwerfen", or nothing.
  function pending() {
    const current = state(false);
    const now = asText(current.fields);
    if (now === lastSaved) return null;
    if (now === baseline && !root.hasAttribute("data-unsaved")) {
      // Back to what is saved: an autosave made meanwhile is of no use.
      return lastSaved === null ? null : { action: "verwerfen", now };
    }
    return { action: "sichern", now, current };
  }

  function payload(action, current, key = keyInput.value) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    body.append("aktion", action);
    body.append("artikel", root.dataset.article);
    body.append("key", key);
    const version = form.elements.loaded_version;
    body.append("version", version ? version.value : "");
    // "at" orders two autosaves that cross on the way (the server keeps the later).
    if (current) body.append("data", JSON.stringify({ ...current, at: Date.now() }));
    return body;
  }

  function say(message, problem = false) {
    const status = root.querySelector(".autosave-status");
    status.textContent = message;
    status.classList.toggle("autosave-status--problem", problem);
  }

  function schedule(delay = DELAY) {
    if (!timer && !offerOpen && !submitting) timer = setTimeout(save, delay);
  }

  async function save() {
    timer = null;
    if (offerOpen || submitting) return;
    if (inflight) {
      schedule();
      return;
    }
    const todo = pending();
    if (!todo) return;
    inflight = (async () => {
      try {
        const response = await fetch(root.dataset.url, {
          method: "POST",
          body: payload(todo.action, todo.current),
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        // Signed out meanwhile: the admin answers with its login page.
        if (response.redirected) throw new Error(text("textSignedOut"));
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(answer.error || text("textRefused", { status: response.status }));
        lastSaved = todo.now;
        if (todo.action === "sichern") say(text("textSaved", { time: answer.saved_at_text }));
        else say("");
      } catch (error) {
        // fetch() itself fails (a TypeError) only when the server cannot be reached.
        const reason = error instanceof TypeError ? text("textOffline") : error.message;
        say(text("textFailed", { reason }), true);
        schedule(RETRY);
      }
    })();
    await inflight;
    inflight = null;
    if (pending()) schedule();
  }

  // The page is hidden or goes away: what is not autosaved yet goes now.
  function flush() {
    if (offerOpen || submitting) return;
    const todo = pending();
    if (!todo) return;
    clearTimeout(timer);
    timer = null;
    if (navigator.sendBeacon(root.dataset.url, payload(todo.action, todo.current))) {
      lastSaved = todo.now;
    }
  }

  // The rich-text editor around a textarea (Tiptap keeps itself on its element).
  function editorOf(textarea) {
    const container = textarea.closest(".prose-editor");
    if (!container) return null;
    return Array.from(container.querySelectorAll(".ProseMirror"), (dom) => dom.editor).find(Boolean);
  }

  function labelOf(name) {
    const el = form.elements[name];
    const control = el instanceof RadioNodeList ? el[0] : el;
    if (!control) return "";
    const label = control.id && form.querySelector(`label[for="${control.id}"]`);
    if (label && !control.closest(".tabular")) return label.textContent.replace(/:\s*$/, "").trim();
    const heading = control.closest(".inline-group, fieldset")?.querySelector("h2");
    return heading ? heading.textContent.trim() : "";
  }

  function grouped(fields) {
    const byName = new Map();
    for (const [name, value] of fields) {
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name).push(value);
    }
    return byName;
  }

  // The fields an autosave would change, by their labels, in the form's order.
  function differences(fields) {
    const theirs = grouped(fields);
    const ours = grouped(state(false).fields);
    const names = new Set([...theirs.keys(), ...ours.keys()]);
    const labels = [];
    for (const name of names) {
      if (name === "loaded_version" || /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(name)) continue;
      if (JSON.stringify(theirs.get(name) || []) === JSON.stringify(ours.get(name) || [])) continue;
      const label = labelOf(name);
      if (label && !labels.includes(label)) labels.push(label);
    }
    return labels;
  }

  // Rows of inline lists (the further-information links) the autosave has more of.
  function addInlineRows(fields) {
    for (const [name, value] of fields) {
      const match = /^(.+)-TOTAL_FORMS$/.exec(name);
      if (!match) continue;
      const total = form.elements[name];
      const add = document.querySelector(`#${CSS.escape(match[1])}-group .add-row a`);
      for (let n = Number(total.value); add && n < Number(value); n++) add.click();
    }
  }

  function restore(data) {
    addInlineRows(data.fields);
    const values = grouped(data.fields);
    const used = new Map();
    for (const el of controls()) {
      const wanted = values.get(el.name);
      let touched = false;
      if (el.type === "checkbox" || el.type === "radio") {
        const checked = Boolean(wanted && wanted.includes(el.value));
        touched = el.checked !== checked;
        el.checked = checked;
      } else if (el.tagName === "SELECT") {
        const chosen = wanted || [];
        for (const value of chosen) {
          if (!Array.from(el.options).some((o) => o.value === value)) {
            const label = (data.labels[el.name] || {})[value] || value;
            el.append(new Option(label, value));
          }
        }
        for (const option of el.options) {
          const selected = chosen.includes(option.value);
          touched ||= option.selected !== selected;
          option.selected = selected;
        }
      } else if (wanted) {
        // Several inputs of one name take the values in order.
        const n = used.get(el.name) || 0;
        used.set(el.name, n + 1);
        if (n < wanted.length && el.value !== wanted[n]) {
          el.value = wanted[n];
          touched = true;
          const editor = el.tagName === "TEXTAREA" && editorOf(el);
          if (editor) editor.commands.setContent(wanted[n], { emitUpdate: true });
        }
      }
      if (!touched) continue;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
      // Autocomplete lists (select2) listen through jQuery.
      if (el.tagName === "SELECT" && window.django && window.django.jQuery) {
        window.django.jQuery(el).trigger("change.select2");
      }
    }
  }

  async function offer() {
    const query = root.dataset.article ? `artikel=${root.dataset.article}` : "neu=1";
    let autosave;
    try {
      const response = await fetch(`${root.dataset.url}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      ({ autosave } = await response.json());
    } catch {
      return;
    }
    // None, or this very form's (shown again after a save that failed): nothing to offer.
    if (!autosave || (autosave.key && autosave.key === keyInput.value)) return;
    const fields = differences(autosave.data.fields);
    const isNew = !root.dataset.article;
    if (!fields.length) {
      // Nothing in it the form does not show already: nothing to offer.
      if (!isNew) fetch(root.dataset.url, { method: "POST", body: payload("verwerfen") });
      return;
    }
    const box = root.querySelector(".autosave-offer");
    const headline = grouped(autosave.data.fields).get("headline")?.[0] || "";
    box.querySelector("h2").textContent = isNew
      ? text("textOfferNew", { when: autosave.saved_at_text, headline })
      : text("textOffer", { when: autosave.saved_at_text });
    box.querySelector(".autosave-offer__fields").textContent = text(isNew ? "textFieldsNew" : "textFields", {
      fields: fields.join(", "),
    });
    const since = box.querySelector(".autosave-offer__since");
    if (autosave.saved_since) {
      since.textContent = text(autosave.saved_since.by ? "textSinceBy" : "textSince", autosave.saved_since);
      since.hidden = false;
    }
    // One autosave per editor and article: until the editor chooses, a new
    // one would replace the one offered. A new article's form has its own.
    offerOpen = !isNew;
    box.querySelector(".autosave-offer__paused").hidden = isNew;
    box.hidden = false;

    box.querySelector("[data-autosave-restore]").onclick = () => {
      box.hidden = true;
      offerOpen = false;
      if (isNew) {
        if (lastSaved !== null) fetch(root.dataset.url, { method: "POST", body: payload("verwerfen") });
        keyInput.value = autosave.key;
      }
      restore(autosave.data);
      lastSaved = null;
      say(text("textRestored"));
      schedule();
      form.querySelector("input:not([type=hidden]), textarea, select")?.focus();
    };
    box.querySelector("[data-autosave-discard]").onclick = () => {
      box.hidden = true;
      offerOpen = false;
      fetch(root.dataset.url, { method: "POST", body: payload("verwerfen", null, autosave.key) });
      say(text("textDiscarded"));
      schedule();
    };
  }

  function newKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function setUp() {
    root = document.getElementById("autosave");
    form = root && root.closest("form");
    if (!form) return;
    // Posted with the form, so that its save removes the autosave of a new article.
    keyInput = Object.assign(document.createElement("input"), {
      type: "hidden",
      name: "autosave_key",
      value: /^[0-9a-f]{32}$/.test(root.dataset.key) ? root.dataset.key : newKey(),
    });
    form.append(keyInput);
    baseline = asText(state(true).fields);

    form.addEventListener("input", () => schedule());
    form.addEventListener("change", () => schedule());
    if (root.hasAttribute("data-unsaved")) schedule(0); // a save that failed: keep it now

    // Window-level, so a handler of the form that stops the submission runs first.
    window.addEventListener("submit", (event) => {
      if (event.target !== form || event.defaultPrevented) return;
      submitting = true;
      clearTimeout(timer);
      timer = null;
      if (inflight) {
        // The save must come after the autosave on its way, which it then removes.
        event.preventDefault();
        const submitter = event.submitter;
        inflight.finally(() => {
          inflight = null;
          form.requestSubmit(submitter || undefined);
        });
      }
    });
    // Back from the browser's cache after a submit: the page is live again.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) submitting = false;
    });

    window.addEventListener("beforeunload", (event) => {
      if (submitting || !changed()) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers need it to ask
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") flush();
    });
    window.addEventListener("pagehide", flush);

    document.addEventListener(
      "keydown",
      (event) => {
        if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
        if (event.key.toLowerCase() !== "s") return;
        event.preventDefault(); // never the browser's "save page as"
        // The publishing bar's "Speichern" (it stays on the form), else Django's own.
        const button =
          form.querySelector('button[name="_workflow"][value="save"]') ||
          form.querySelector('[name="_continue"]');
        if (button && !document.querySelector("dialog[open]")) form.requestSubmit(button);
      },
      true,
    );

    // One preview window per article, opened by script so that its
    // "Zurück zum Bearbeiten" may close it again. The form goes there as it
    // is; submit() fires no submit event, so nothing counts as saved.
    document.addEventListener("click", (event) => {
      const button = event.target.closest("[data-autosave-preview]");
      if (!button) return;
      window.open("", button.dataset.window);
      const before = ["action", "target"].map((name) => [name, form.getAttribute(name)]);
      form.setAttribute("action", button.dataset.action);
      form.setAttribute("target", button.dataset.window);
      HTMLFormElement.prototype.submit.call(form);
      for (const [name, value] of before) {
        if (value === null) form.removeAttribute(name);
        else form.setAttribute(name, value);
      }
    });

    // Shown again after a save that failed, the form holds the newest text already.
    if (!root.hasAttribute("data-unsaved")) offer();
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
