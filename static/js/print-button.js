// The print page prints only when the reader asks for it.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
