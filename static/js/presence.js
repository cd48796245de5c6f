// Two editors, one article: while the form is open it tells the server so every
// 20 seconds and shows who else has it open ("Auch geöffnet von … seit 14:03 Uhr");
// closing or leaving the tab says goodbye at once (a beacon on pagehide).
(function () {
  const EVERY_MS = 20000;

  function tabName() {
    // One name per browser tab, kept across reloads and saves in that tab.
    try {
      let name = sessionStorage.getItem("presence-tab");
      if (!name) {
        name = crypto.randomUUID();
        sessionStorage.setItem("presence-tab", name);
      }
      return name;
    } catch (error) {
      return crypto.randomUUID();
    }
  }

  function start() {
    const note = document.getElementById("presence-note");
    const form = note && note.closest("form");
    const token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!note || !token) return;
    const url = note.dataset.url;
    const tab = tabName();

    function body(extra) {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token.value);
      data.append("tab", tab);
      if (extra) data.append(extra, "1");
      return data;
    }

    function show(text) {
      if (note.textContent !== text) note.textContent = text;
      note.hidden = !text;
    }

    function announce() {
      fetch(url, { method: "POST", body: body(), credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .then((answer) => {
          if (answer) show(answer.text || "");
        })
        .catch(() => {});
    }

    announce();
    let timer = setInterval(announce, EVERY_MS);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") announce();
    });
    window.addEventListener("pagehide", () => {
      clearInterval(timer);
      navigator.sendBeacon(url, body("leave"));
    });
    window.addEventListener("pageshow", (event) => {
      // Back from the browser's cache: open again.
      if (event.persisted) {
        announce();
        timer = setInterval(announce, EVERY_MS);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
