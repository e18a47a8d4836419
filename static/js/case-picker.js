// The case picker (records/diarium/picker.py).
// - Enter in its search box searches; it does not submit the surrounding form (which would register into
//   whatever case happened to be checked).
// - Choosing a case cancels a search still on its way, so its answer cannot redraw the list and undo the
//   choice (the search also sends the checked case along, so a later search keeps it checked).
(function () {
  if (window.uppsiktCasePicker) { return; }
  window.uppsiktCasePicker = true;
  function searchBox(element) {
    const picker = element.closest && element.closest("[data-case-picker]");
    return picker ? picker.querySelector("input[type=search]") : null;
  }
  document.addEventListener("keydown", function (event) {
    const box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches("[data-case-picker] input[type=search]")) { return; }
    event.preventDefault();
    if (window.htmx) { window.htmx.trigger(box, "search"); }
  });
  document.addEventListener("change", function (event) {
    const radio = event.target;
    if (!radio.matches || !radio.matches("[data-case-picker] input[type=radio]")) { return; }
    const box = searchBox(radio);
    if (box && window.htmx) { window.htmx.trigger(box, "htmx:abort"); }
  });
})();
