// Keyboard work in the review queue. Without JavaScript the same actions are the table's
// checkboxes, the bulk form and the item page. The "?" help is toggled by uppsikt.js.
(function () {
  "use strict";
  function init() {
    var table = document.getElementById("queue-table");
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-pk]"));
    var quick = document.getElementById("quick-form");
    var dialog = document.getElementById("remove-dialog");
    var current = -1;

    var helpButton = document.querySelector("[data-toggle-help]");
    if (helpButton) {
      helpButton.addEventListener("click", function () {
        var help = document.getElementById("keyboard-help");
        if (help) { help.hidden = !help.hidden; if (!help.hidden) { help.focus(); } }
      });
    }

    function select(index) {
      if (!rows.length) { return; }
      index = Math.max(0, Math.min(rows.length - 1, index));
      rows.forEach(function (row, i) {
        row.setAttribute("aria-selected", i === index ? "true" : "false");
        row.classList.toggle("selected", i === index);
      });
      current = index;
      var link = rows[index].querySelector("a.open-link");
      if (link) { link.focus({preventScroll: true}); }
      rows[index].scrollIntoView({block: "nearest"});
    }

    function selectedRow() { return current >= 0 ? rows[current] : null; }

    function submitQuick(action, note) {
      var row = selectedRow();
      if (!row || !quick) { return; }
      quick.elements.items.value = row.dataset.pk;
      quick.elements.action.value = action;
      quick.elements.note.value = note || "";
      quick.submit();
    }

    rows.forEach(function (row, i) {
      row.addEventListener("focusin", function () { if (current !== i) { select(i); } });
    });

    if (dialog) {
      var noteField = document.getElementById("remove-note");
      // Enter saves (Shift+Enter gives a new line), as in the rest of the keyboard flow.
      noteField.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          if (noteField.value.trim()) { dialog.close("confirm"); }
        }
      });
      dialog.addEventListener("close", function () {
        var note = document.getElementById("remove-note");
        if (dialog.returnValue === "confirm" && note.value.trim()) { submitQuick("remove", note.value.trim()); }
        else { var row = selectedRow(); if (row) { select(current); } }
      });
    }

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (/^(input|textarea|select|button)$/i.test(event.target.tagName) && event.key !== "Enter") {
        if (event.target.type !== "checkbox") { return; }
      }
      if (dialog && dialog.open) { return; }
      var row = selectedRow();
      switch (event.key) {
        case "j": event.preventDefault(); select(current + 1); break;
        case "k": event.preventDefault(); select(current < 0 ? 0 : current - 1); break;
        case "Enter":
          if (row && event.target.tagName !== "A" && !/^(input|textarea|select|button)$/i.test(event.target.tagName)) {
            event.preventDefault(); window.location.href = row.dataset.url;
          }
          break;
        case "x":
          if (row) { event.preventDefault(); var box = row.querySelector("input[type=checkbox]"); if (box) { box.checked = !box.checked; } }
          break;
        case "f": if (row && quick) { event.preventDefault(); submitQuick("keep"); } break;
        case "h": if (row && quick) { event.preventDefault(); submitQuick("hide"); } break;
        case "d":
          if (row && dialog) {
            event.preventDefault();
            document.getElementById("remove-note").value = "";
            dialog.showModal();
            document.getElementById("remove-note").focus();
          }
          break;
        case "e": if (row) { event.preventDefault(); window.location.href = row.dataset.url + "?action=escalate#decision"; } break;
        case "r": if (row) { event.preventDefault(); window.location.href = row.dataset.url + "?action=reply#decision"; } break;
        default: break;
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
