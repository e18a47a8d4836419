// Keyboard work in the review queue, applied in place: a decision is sent in the background, the
// row leaves the list and the selection moves to the next row; "Ångra" (u) undoes it for a few
// seconds by a reversal decision. The list is kept live: every few seconds one light request says
// which rows colleagues have handled (removed), who holds a claim on each row, and which new items
// have arrived (inserted in priority order). Without JavaScript the same actions are the table's
// checkboxes, the bulk form and the item page. The "?" help is toggled here.
(function () {
  "use strict";
  var POLL_MS = 5000;
  var UNDO_MS = 8000;

  function init() {
    var table = document.getElementById("queue-table");
    if (!table) { return; }
    var tbody = table.tBodies[0];
    var quick = document.getElementById("quick-form");
    var dialog = document.getElementById("remove-dialog");
    var keepDialog = document.getElementById("keep-dialog");
    var statusRegion = document.getElementById("queue-live-status");
    var undoBar = document.getElementById("undo-bar");
    var undoText = document.getElementById("undo-text");
    var undoButton = document.getElementById("undo-button");
    var msg = table.dataset;
    var current = -1;
    var since = msg.now || "";
    var undoDecision = null;
    var undoTimer = null;
    var busy = false;

    var helpButton = document.querySelector("[data-toggle-help]");
    if (helpButton) {
      helpButton.addEventListener("click", function () {
        var help = document.getElementById("keyboard-help");
        if (help) { help.hidden = !help.hidden; if (!help.hidden) { help.focus(); } }
      });
    }

    function format(template, values) {
      return (template || "").replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
    }
    function rows() { return Array.prototype.slice.call(tbody.querySelectorAll("tr[data-pk]")); }
    var count = parseInt(msg.count || "0", 10);
    function recount(delta) {
      var label = document.getElementById("queue-count");
      count = Math.max(0, count + delta);
      if (label && msg.msgCount) { label.textContent = format(msg.msgCount, {n: count}); }
    }
    function announce(text) { if (statusRegion) { statusRegion.textContent = text; } }
    function csrf() { return quick ? quick.elements.csrfmiddlewaretoken.value : ""; }

    function select(index) {
      var list = rows();
      if (!list.length) { current = -1; return; }
      index = Math.max(0, Math.min(list.length - 1, index));
      list.forEach(function (row, i) {
        row.setAttribute("aria-selected", i === index ? "true" : "false");
        row.classList.toggle("selected", i === index);
      });
      current = index;
      var link = list[index].querySelector("a.open-link");
      if (link) { link.focus({preventScroll: true}); }
      list[index].scrollIntoView({block: "nearest"});
    }

    function selectedRow() { var list = rows(); return current >= 0 && current < list.length ? list[current] : null; }

    // Take a row out of the list; the selection stays on the same position (the next row).
    function removeRow(row) {
      var list = rows();
      var index = list.indexOf(row);
      if (index < 0) { return; }
      var wasSelected = index === current;
      row.parentNode.removeChild(row);
      recount(-1);
      var left = rows().length;
      if (!left) { current = -1; return; }
      if (index < current) { current -= 1; }
      if (wasSelected) { select(Math.min(index, left - 1)); }
    }

    function post(url, data) {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", csrf());
      Object.keys(data).forEach(function (key) {
        var value = data[key];
        if (Array.isArray(value)) { value.forEach(function (v) { body.append(key, v); }); } else { body.append(key, value); }
      });
      return fetch(url, {method: "POST", body: body, credentials: "same-origin",
                         headers: {"Accept": "application/json", "X-CSRFToken": csrf()}})
        .then(function (response) { return response.json(); });
    }

    function showUndo(decisionId, text) {
      if (!undoBar) { return; }
      undoDecision = decisionId;
      undoText.textContent = text;
      undoBar.hidden = false;
      window.clearTimeout(undoTimer);
      undoTimer = window.setTimeout(hideUndo, UNDO_MS);
    }
    function hideUndo() { if (undoBar) { undoBar.hidden = true; } undoDecision = null; }

    function undo() {
      if (!undoDecision) { return; }
      var url = msg.reverseUrl.replace(/\/0\//, "/" + undoDecision + "/");
      hideUndo();
      post(url, {note: msg.msgUndoNote}).then(function (data) {
        announce(data.ok ? (data.message || msg.msgUndone) : data.message);
      }).catch(function () { announce(msg.msgFailed); });
    }
    if (undoButton) { undoButton.addEventListener("click", undo); }

    function decide(row, action, note, ruleCodes) {
      if (!row || !quick || busy) { return; }
      busy = true;
      post(quick.getAttribute("action"), {items: row.dataset.pk, action: action, note: note || "", rules: ruleCodes || []})
        .then(function (data) {
          busy = false;
          var done = (data.done || [])[0];
          if (done) {
            var text = format(msg.msgDone, {pk: row.dataset.pk, action: (data.label || "").toLowerCase()});
            removeRow(row);
            announce(text);
            if (done.undo) { showUndo(done.decision, text); } else { hideUndo(); }
            return;
          }
          var refused = (data.refused || [])[0];
          announce(refused ? refused.reason : (data.errors || []).join(" "));
          if (action === "keep" && refused && !note && keepDialog) { openKeep(row); }
        })
        .catch(function () { busy = false; announce(msg.msgFailed); });
    }

    function rowText(row) {
      var cell = row.querySelector("td.excerpt");
      return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
    }

    function openKeep(row) {
      document.getElementById("keep-dialog-text").textContent = rowText(row);
      document.getElementById("keep-note").value = "";
      keepDialog.showModal();
      document.getElementById("keep-note").focus();
    }

    function ruleBoxes() { return dialog ? Array.prototype.slice.call(dialog.querySelectorAll("input[type=checkbox]")) : []; }
    function updateCited() {
      var row = selectedRow();
      var ticked = ruleBoxes().filter(function (b) { return b.checked; }).map(function (b) { return b.dataset.title; });
      var cited = document.getElementById("remove-dialog-cited");
      if (ticked.length) { cited.textContent = ticked.join(", "); return; }
      var suggested = ruleBoxes().filter(function (b) { return row && (" " + row.dataset.rules + " ").indexOf(" " + b.value + " ") >= 0; })
        .map(function (b) { return b.dataset.title; });
      cited.textContent = suggested.length ? suggested.join(", ") + " (" + msg.msgNone + ")" : "—";
    }
    function openRemove(row) {
      document.getElementById("remove-dialog-text").textContent = rowText(row);
      var flagged = " " + (row.dataset.rules || "") + " ";
      ruleBoxes().forEach(function (box) {
        box.checked = false;  // the moderator ticks the rules; the flags' rules are only marked
        var badge = box.parentNode.querySelector(".suggested");
        if (badge) { badge.hidden = flagged.indexOf(" " + box.value + " ") < 0; }
      });
      updateCited();
      document.getElementById("remove-note").value = "";
      dialog.showModal();
      document.getElementById("remove-note").focus();
    }

    function claim(row) {
      if (!row || !row.dataset.claimUrl) { return; }
      post(row.dataset.claimUrl, {}).then(function () {
        announce(format(msg.msgClaimed, {pk: row.dataset.pk}));
        poll();
      }).catch(function () { announce(msg.msgFailed); });
    }

    tbody.addEventListener("focusin", function (event) {
      var row = event.target.closest("tr[data-pk]");
      if (!row) { return; }
      var index = rows().indexOf(row);
      if (index >= 0 && index !== current) { select(index); }
    });

    if (dialog) {
      var noteField = document.getElementById("remove-note");
      ruleBoxes().forEach(function (box) { box.addEventListener("change", updateCited); });
      // Enter saves (Shift+Enter gives a new line), as in the rest of the keyboard flow.
      noteField.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          if (noteField.value.trim()) { dialog.close("confirm"); }
        }
      });
      dialog.addEventListener("close", function () {
        var row = selectedRow();
        if (dialog.returnValue === "confirm" && noteField.value.trim()) {
          var codes = ruleBoxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
          decide(row, "remove", noteField.value.trim(), codes);
        } else if (row) { select(current); }
      });
    }
    if (keepDialog) {
      var keepNote = document.getElementById("keep-note");
      keepNote.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          if (keepNote.value.trim()) { keepDialog.close("confirm"); }
        }
      });
      keepDialog.addEventListener("close", function () {
        var row = selectedRow();
        if (keepDialog.returnValue === "confirm" && keepNote.value.trim()) { decide(row, "keep", keepNote.value.trim()); }
        else if (row) { select(current); }
      });
    }

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (/^(input|textarea|select|button)$/i.test(event.target.tagName) && event.key !== "Enter") {
        if (event.target.type !== "checkbox") { return; }
      }
      if ((dialog && dialog.open) || (keepDialog && keepDialog.open)) { return; }
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
        case "t": if (row && quick) { event.preventDefault(); claim(row); } break;
        case "f":
          if (row && quick) {
            event.preventDefault();
            if (row.dataset.serious && keepDialog) { openKeep(row); } else { decide(row, "keep"); }
          }
          break;
        case "h": if (row && quick) { event.preventDefault(); decide(row, "hide"); } break;
        case "d": if (row && dialog) { event.preventDefault(); openRemove(row); } break;
        case "u": if (undoDecision) { event.preventDefault(); undo(); } break;
        case "e": if (row) { event.preventDefault(); window.location.href = row.dataset.url + "?action=escalate#decision"; } break;
        case "r": if (row) { event.preventDefault(); window.location.href = row.dataset.url + "?action=reply#decision"; } break;
        default: break;
      }
    });

    // --- live updates ---------------------------------------------------------------------------
    function insertRow(html, priority) {
      var holder = document.createElement("tbody");
      holder.innerHTML = html.trim();
      var row = holder.querySelector("tr[data-pk]");
      if (!row || document.getElementById(row.id)) { return false; }
      var empty = tbody.querySelector("tr:not([data-pk])");
      if (empty) { empty.parentNode.removeChild(empty); }
      var list = rows();
      var before = null;
      if (msg.tab !== "decided") {
        before = list.filter(function (r) { return parseInt(r.dataset.priority, 10) > priority; })[0] || null;
      }
      var selected = selectedRow();
      tbody.insertBefore(row, before);
      row.classList.add("live-new");
      recount(1);
      if (selected) { current = rows().indexOf(selected); }
      return true;
    }

    function poll() {
      if (!msg.liveUrl || document.hidden) { return; }
      var params = new URLSearchParams(window.location.search);
      params.delete("page");
      params.set("tab", msg.tab);
      params.set("shown", rows().map(function (r) { return r.dataset.pk; }).join(","));
      params.set("since", since);
      fetch(msg.liveUrl + "?" + params.toString(), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          since = data.now;
          var gone = 0;
          (data.gone || []).forEach(function (pk) {
            var row = document.getElementById("row-" + pk);
            if (row) { removeRow(row); gone += 1; }
          });
          Object.keys(data.claims || {}).forEach(function (pk) {
            var cell = document.querySelector("#row-" + pk + " .claim-cell");
            if (cell) { cell.textContent = data.claims[pk] || "—"; }
          });
          var added = 0;
          if (msg.page === "1") {
            (data.rows || []).forEach(function (r) { if (insertRow(r.html, r.priority)) { added += 1; } });
          }
          var parts = [];
          if (gone) { parts.push(format(msg.msgGone, {n: gone})); }
          if (added) { parts.push(format(msg.msgNew, {n: added})); }
          if (parts.length) { announce(parts.join(" ")); }
        })
        .catch(function () { /* the next poll tries again */ });
    }
    window.setInterval(poll, POLL_MS);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
