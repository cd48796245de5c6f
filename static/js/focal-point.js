// The focal point of a picture: a click into the picture sets the two
// percentages (the number fields stay, for the keyboard), the cross shows
// it, and the 3:2 preview shows the crop that lists will get once saved.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const frame = document.querySelector("[data-focal-point]");
  const x = document.querySelector("input[data-focal=x]");
  const y = document.querySelector("input[data-focal=y]");
  if (!frame || !x || !y) return;
  const picture = frame.querySelector("img");
  const mark = frame.querySelector(".focal-point__mark");
  const crop = document.querySelector("[data-focal-crop]");
  const clamp = (value) => Math.min(100, Math.max(0, Math.round(Number(value) || 0)));

  function show() {
    const left = clamp(x.value);
    const top = clamp(y.value);
    // Through the CSSOM: the Content Security Policy refuses style attributes, not this.
    mark.style.left = `${left}%`;
    mark.style.top = `${top}%`;
    mark.hidden = false;
    if (crop) crop.style.objectPosition = `${left}% ${top}%`;
  }

  picture.addEventListener("click", (event) => {
    const box = picture.getBoundingClientRect();
    x.value = clamp(((event.clientX - box.left) / box.width) * 100);
    y.value = clamp(((event.clientY - box.top) / box.height) * 100);
    x.dispatchEvent(new Event("change", { bubbles: true }));
    show();
  });
  x.addEventListener("input", show);
  y.addEventListener("input", show);
  show();
});
