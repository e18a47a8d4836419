// The item page's reply: choosing a template fills the editable reply box with its text
// (placeholders already filled by the server), and the reply is shown as it will be published.
(function () {
  "use strict";
  function init() {
    var select = document.getElementById("id_reply_template");
    var box = document.getElementById("id_reply_text");
    var texts = document.getElementById("reply-texts");
    var previewBox = document.getElementById("reply-preview-box");
    var preview = document.getElementById("reply-preview");
    if (!select || !box || !texts) { return; }
    var filledFrom = null;
    function showPreview() {
      if (!preview || !previewBox) { return; }
      preview.textContent = box.value;
      previewBox.hidden = !box.value.trim();
    }
    select.addEventListener("change", function () {
      var source = texts.querySelector('[data-template="' + select.value + '"]');
      if (!source) { return; }
      // Do not throw away what the moderator wrote: replace only an empty box or the last template's text.
      if (!box.value.trim() || box.value === filledFrom) {
        box.value = source.textContent;
        filledFrom = box.value;
      }
      showPreview();
      box.focus();
    });
    box.addEventListener("input", showPreview);
    showPreview();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
