// The case picker (records/diarium/picker.py): Enter in its search box searches, it does not submit the
// surrounding form (which would register into whatever case happened to be checked).
(function () {
  if (window.uppsiktCasePicker) { return; }
  window.uppsiktCasePicker = true;
  document.addEventListener("keydown", function (event) {
    const box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches("[data-case-picker] input[type=search]")) { return; }
    event.preventDefault();
    if (window.htmx) { window.htmx.trigger(box, "search"); }
  });
})();
