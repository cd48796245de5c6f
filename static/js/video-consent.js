// Two-click video (issue 24, point 8): the page shows a placeholder that loads
// nothing from the video site (articles/includes/video_consent.html). Only when
// the reader clicks "Video laden" is the player put in, from the provider's
// privacy-friendly host (youtube-nocookie.com, player.vimeo.com), which the
// page's Content Security Policy allows as frame sources and nothing else.
(function () {
  const ALLOWED = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/[A-Za-z0-9_-]{11}|player\.vimeo\.com\/video\/[0-9]{1,12})([?].*)?$/;

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-video-load]");
    if (!button) return;
    const figure = button.closest(".video-consent");
    const src = figure && figure.dataset.embed;
    if (!src || !ALLOWED.test(src)) return;
    const title = figure.querySelector(".video-consent__title");
    const frame = document.createElement("iframe");
    frame.src = src;
    frame.title = title ? title.textContent.trim() : "Video";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "video-consent__player";
    figure.querySelector(".video-consent__frame").replaceChildren(frame);
    figure.classList.add("video-consent--loaded");
    frame.focus();
  });
})();
