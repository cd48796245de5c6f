// Picture uploads in the back office, checked in the browser before they start.
//
// - Every file field with data-max-bytes (the picture's page, the picker's form)
//   says at once, beside the field, when a file is of the wrong type or too
//   large, and keeps the form from being sent with it.
// - The picker's upload area ([data-picture-uploader]) takes several files at
//   once, by drag and drop or by choosing; each gets its line with its own
//   fields (the alternative text first, required before anything is sent),
//   its own progress and its own result: the server's German reason where it
//   refuses one, an "Einfügen" button where it took it.
// The limits come from the server's settings, rendered into the page; the
// server checks everything again (portal.lib.images).
"use strict";
(function () {
  const FORMATS = { "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP" };
  const EXTENSIONS = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

  // As Django's filesizeformat writes it in German: "16,0 MB".
  function size(bytes) {
    const units = ["Bytes", "KB", "MB", "GB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    if (unit === 0) return `${bytes}\u00a0Bytes`;
    return `${value.toLocaleString("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 1 })}\u00a0${units[unit]}`;
  }

  function typeOf(file) {
    if (file.type) return file.type;
    const extension = (file.name.split(".").pop() || "").toLowerCase();
    return EXTENSIONS[extension] || "";
  }

  // The German reason a file is refused before upload, or "" when it may go.
  function refusal(file, limits) {
    const type = typeOf(file);
    if (!limits.types.includes(type)) {
      const kind = type.startsWith("image/") ? type.slice(6).toUpperCase() : "";
      return kind
        ? `Bilder im Format ${kind} sind nicht erlaubt; bitte JPEG, PNG oder WebP.`
        : `„${file.name}“ ist kein Bild im Format JPEG, PNG oder WebP.`;
    }
    if (file.size > limits.maxBytes) {
      return `Die Datei ist ${size(file.size)} groß; erlaubt sind höchstens ${limits.maxLabel}.`;
    }
    return "";
  }

  function limitsOf(element) {
    return {
      types: (element.dataset.types || element.getAttribute("accept") || "").split(","),
      maxBytes: Number(element.dataset.maxBytes),
      maxLabel: element.dataset.maxLabel || size(Number(element.dataset.maxBytes)),
    };
  }

  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (name.startsWith("data-") || name.startsWith("aria-") || name === "role" || name === "for") {
        node.setAttribute(name, value);
      } else {
        node[name] = value;
      }
    }
    node.append(...children);
    return node;
  }

  // A single file field (the picture's page): the reason at the field, at once.
  function checkField(input) {
    const limits = limitsOf(input);
    const id = `${input.id}-check`;
    let message = document.getElementById(id);
    if (!message) {
      message = el("p", { id, className: "upload-field-error", role: "alert" });
      input.after(message);
      const described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", described ? `${described} ${id}` : id);
    }
    const reasons = [...input.files].map((file) => refusal(file, limits)).filter(Boolean);
    message.textContent = reasons.length ? `${reasons.join(" ")} Bitte eine andere Datei wählen.` : "";
    message.hidden = !reasons.length;
    input.toggleAttribute("aria-invalid", reasons.length > 0);
    return !reasons.length;
  }

  function setUpField(input) {
    input.addEventListener("change", () => checkField(input));
    input.form?.addEventListener("submit", (event) => {
      if (!checkField(input)) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  // A small preview of the chosen file, drawn in the page: no upload needed
  // (and the Content Security Policy takes data: pictures, not blob:).
  async function preview(file, img) {
    try {
      const bitmap = await createImageBitmap(file);
      const canvas = document.createElement("canvas");
      const scale = Math.min(1, 192 / bitmap.width);
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      img.src = canvas.toDataURL("image/jpeg", 0.8);
      bitmap.close();
    } catch (_e) {
      img.hidden = true;
    }
  }

  let count = 0;

  function setUpUploader(area) {
    const limits = limitsOf(area);
    const input = area.querySelector("input[type=file]");
    const queue = area.querySelector(".upload-queue");
    const start = area.querySelector("[data-upload-start]");
    const summary = area.querySelector(".upload-summary");
    const token = area.querySelector("input[name=csrfmiddlewaretoken]").value;
    const fallback = document.querySelector(area.dataset.fallback);
    if (fallback && !fallback.querySelector(".errorlist")) fallback.hidden = true;
    area.hidden = false;
    const items = [];

    function add(files) {
      for (const file of files) {
        const n = ++count;
        const reason = refusal(file, limits);
        const img = el("img", { alt: "", width: 96, height: 64, className: "upload-item__preview" });
        const status = el("p", { className: "upload-item__status", id: `upload-${n}-status`, role: "status" });
        const progress = el("progress", { max: 100, value: 0, hidden: true, id: `upload-${n}-progress` });
        progress.setAttribute("aria-label", `Fortschritt: ${file.name}`);
        const remove = el("button", { type: "button", className: "button upload-item__remove", textContent: "Entfernen" });
        remove.append(el("span", { className: "visually-hidden", textContent: `: ${file.name}` }));
        const body = el("div", { className: "upload-item__body" }, [
          el("p", { className: "upload-item__name" }, [
            el("strong", { textContent: file.name }),
            ` · ${size(file.size)}`,
          ]),
        ]);
        const li = el("li", { className: "upload-item" }, [img, body]);
        const item = { file, li, status, progress, remove, state: reason ? "refused" : "ready" };
        if (reason) {
          li.classList.add("upload-item--refused");
          img.hidden = true;
          status.setAttribute("role", "alert");
          status.textContent = `Nicht hochgeladen: ${reason}`;
          body.append(status, remove);
        } else {
          preview(file, img);
          const field = (name, label, required, hint) => {
            const id = `upload-${n}-${name}`;
            const box = el("input", { id, name, type: "text", className: "vTextField", required });
            const parts = [el("label", { for: id, textContent: label, className: required ? "required" : "" }), box];
            if (hint) {
              parts.push(el("p", { id: `${id}-hint`, className: "help", textContent: hint }));
              box.setAttribute("aria-describedby", `${id}-hint`);
            }
            return [el("div", { className: "upload-item__field" }, parts), box];
          };
          const [altRow, alt] = field(
            "alt_text", "Alternativtext", true,
            "Pflicht, vor dem Hochladen: Was ist auf dem Bild zu sehen, für Menschen, die es nicht sehen?",
          );
          const [captionRow, caption] = field("caption", "Bildunterschrift", false);
          const [creditRow, credit] = field("credit", "Bildnachweis", false);
          Object.assign(item, { alt, caption, credit });
          alt.addEventListener("input", () => {
            if (alt.value.trim()) {
              alt.removeAttribute("aria-invalid");
              if (item.state === "ready") status.textContent = "";
            }
          });
          body.append(altRow, captionRow, creditRow, progress, status, remove);
        }
        remove.addEventListener("click", () => {
          if (item.state === "uploading") return;
          li.remove();
          items.splice(items.indexOf(item), 1);
          update();
        });
        items.push(item);
        queue.append(li);
      }
      update();
    }

    function update() {
      const waiting = items.filter((item) => item.state === "ready").length;
      start.hidden = !waiting;
      start.textContent = waiting === 1 ? "Bild hochladen" : `${waiting} Bilder hochladen`;
    }

    function send(item) {
      return new Promise((resolve) => {
        const data = new FormData();
        data.append("csrfmiddlewaretoken", token);
        data.append("file", item.file);
        data.append("alt_text", item.alt.value.trim());
        data.append("caption", item.caption.value.trim());
        data.append("credit", item.credit.value.trim());
        const xhr = new XMLHttpRequest();
        xhr.open("POST", area.dataset.uploadUrl);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.setRequestHeader("X-CSRFToken", token);
        item.state = "uploading";
        item.li.classList.add("upload-item--uploading");
        item.progress.hidden = false;
        item.status.textContent = "Wird hochgeladen … 0 %";
        xhr.upload.addEventListener("progress", (event) => {
          if (!event.lengthComputable) return;
          const percent = Math.round((event.loaded / event.total) * 100);
          item.progress.value = percent;
          item.status.textContent = percent < 100 ? `Wird hochgeladen … ${percent} %` : "Wird geprüft …";
        });
        xhr.addEventListener("load", () => {
          let answer = null;
          try {
            answer = JSON.parse(xhr.responseText);
          } catch (_e) {}
          item.li.classList.remove("upload-item--uploading");
          if (answer && answer.ok) {
            done(item, answer.image);
          } else if (answer && answer.errors) {
            const reasons = Object.values(answer.errors).flat().join(" ");
            failed(item, `Abgelehnt: ${reasons}`, "refused");
          } else if (xhr.status === 413) {
            failed(item, `Abgelehnt: Die Datei ist für den Server zu groß (höchstens ${limits.maxLabel}).`, "refused");
          } else {
            failed(item, `Das Hochladen ist fehlgeschlagen (Fehler ${xhr.status}). Bitte noch einmal versuchen.`, "ready");
          }
          resolve();
        });
        xhr.addEventListener("error", () => {
          item.li.classList.remove("upload-item--uploading");
          failed(item, "Das Hochladen ist fehlgeschlagen: keine Verbindung zum Server. Bitte noch einmal versuchen.", "ready");
          resolve();
        });
        xhr.send(data);
      });
    }

    function done(item, image) {
      item.state = "done";
      item.progress.value = 100;
      item.li.classList.add("upload-item--done");
      for (const box of [item.alt, item.caption, item.credit]) box.readOnly = true;
      item.status.textContent = "Hochgeladen.";
      const pick = el("button", {
        type: "button",
        className: "button default",
        textContent: "Einfügen",
        "data-pick-image": "",
        "data-id": image.id,
        "data-url": image.url,
        "data-alt": image.alt,
        "data-caption": image.caption,
      });
      pick.append(el("span", { className: "visually-hidden", textContent: `: ${image.alt}` }));
      item.remove.replaceWith(pick);
    }

    function failed(item, message, state) {
      item.state = state;
      item.progress.hidden = true;
      item.li.classList.toggle("upload-item--refused", state === "refused");
      item.status.setAttribute("role", "alert");
      item.status.textContent = message;
    }

    start.addEventListener("click", async () => {
      const ready = items.filter((item) => item.state === "ready");
      const missing = ready.filter((item) => !item.alt.value.trim());
      for (const item of missing) {
        item.alt.setAttribute("aria-invalid", "true");
        item.status.textContent = "Bitte zuerst den Alternativtext eingeben: Was ist auf dem Bild zu sehen?";
      }
      if (missing.length) {
        summary.textContent =
          missing.length === 1
            ? "Ein Bild hat noch keinen Alternativtext; hochgeladen wird erst, wenn jedes einen hat."
            : `${missing.length} Bilder haben noch keinen Alternativtext; hochgeladen wird erst, wenn jedes einen hat.`;
        missing[0].alt.focus();
        return;
      }
      start.disabled = true;
      summary.textContent = "";
      for (const item of ready) await send(item);
      start.disabled = false;
      const took = items.filter((item) => item.state === "done").length;
      const refused = items.filter((item) => item.state === "refused").length;
      summary.textContent = `${took} hochgeladen, ${refused} abgelehnt.`;
      update();
    });

    area.querySelector("[data-choose]").addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      add([...input.files]);
      input.value = "";
    });
    const zone = area.querySelector(".upload-drop");
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("upload-drop--over");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("upload-drop--over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("upload-drop--over");
      add([...event.dataTransfer.files]);
    });
    // A file dropped beside the area must not replace the page (and the work in it).
    window.addEventListener("dragover", (event) => event.preventDefault());
    window.addEventListener("drop", (event) => event.preventDefault());
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(setUpField);
    document.querySelectorAll("[data-picture-uploader]").forEach(setUpUploader);
  });
})();
