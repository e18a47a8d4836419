// Masking by selecting text in the secrecy review (records/disclosure/templates/.../review.html).
//
// The page works without this script: the registrar then wraps text in [[ ]] in a copy, or types
// offsets. With it, the registrar selects text in the content and presses "Maskera markerad text"
// (or types a phrase to mask everywhere); the selection becomes a masked span, shown at once as the
// released copy will be. Offsets are code points of the original text, as the server counts them
// (Python string indices), not the UTF-16 units of JavaScript strings: emoji count as one.
// No inline script (CSP): the data comes from a json_script block; nothing is fetched.
(function () {
  "use strict";

  function init() {
    var dataEl = document.getElementById("mask-data");
    var source = document.getElementById("mask-source");
    var form = document.getElementById("review-form");
    var tools = document.getElementById("mask-tools");
    if (!dataEl || !source || !form || !tools) { return; }
    var data = JSON.parse(dataEl.textContent);
    var chars = Array.from(data.text);
    var marker = data.marker || "[maskerat]";
    var spansInput = form.querySelector("[name=spans]");
    var fallback = document.getElementById("mask-fallback");
    var preview = document.getElementById("mask-preview");
    var previewSection = document.getElementById("preview-section");
    var list = document.getElementById("mask-list");
    var status = document.getElementById("mask-status");
    var spans = normalise(data.spans || []);

    // The [[ ]] copy cannot follow spans removed here: with the script, selection replaces it.
    if (fallback) {
      fallback.hidden = true;
      var copy = fallback.querySelector("textarea");
      if (copy) { copy.disabled = true; }
    }
    tools.hidden = false;
    document.getElementById("mask-howto").hidden = false;

    function normalise(input) {
      var valid = input.map(function (s) { return [Number(s[0]), Number(s[1])]; }).filter(function (s) {
        return Number.isInteger(s[0]) && Number.isInteger(s[1]) && s[0] >= 0 && s[0] < s[1] && s[1] <= chars.length;
      }).sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      var merged = [];
      valid.forEach(function (s) {
        var last = merged[merged.length - 1];
        if (last && s[0] <= last[1]) { last[1] = Math.max(last[1], s[1]); } else { merged.push([s[0], s[1]]); }
      });
      return merged;
    }

    function text(start, end) { return chars.slice(start, end).join(""); }

    function announce(message) { if (status) { status.textContent = message; } }

    function chunk(start, end, masked) {
      var el = document.createElement(masked ? "mark" : "span");
      if (masked) { el.className = "masked-sel"; }
      el.dataset.o = String(start);
      el.textContent = text(start, end);
      source.appendChild(el);
    }

    function released() {
      var out = [], pos = 0;
      spans.forEach(function (s) { out.push(text(pos, s[0]), marker); pos = s[1]; });
      out.push(text(pos, chars.length));
      return out.join("");
    }

    function renderList() {
      list.textContent = "";
      if (!spans.length) {
        var none = document.createElement("li");
        none.textContent = "Inget är maskerat ännu.";
        list.appendChild(none);
        return;
      }
      spans.forEach(function (s, index) {
        var li = document.createElement("li");
        var quote = document.createElement("q");
        quote.textContent = text(s[0], s[1]);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "small secondary";
        remove.textContent = "Ta bort maskeringen";
        remove.setAttribute("aria-label", "Ta bort maskeringen av " + quote.textContent);
        remove.addEventListener("click", function () {
          spans.splice(index, 1);
          render();
          announce("Maskeringen är borttagen.");
        });
        li.append(quote, " (tecken " + s[0] + "–" + s[1] + ") ", remove);
        list.appendChild(li);
      });
    }

    function render() {
      source.textContent = "";
      var pos = 0;
      spans.forEach(function (s) {
        if (s[0] > pos) { chunk(pos, s[0], false); }
        chunk(s[0], s[1], true);
        pos = s[1];
      });
      if (pos < chars.length || !chars.length) { chunk(pos, chars.length, false); }
      spansInput.value = spans.map(function (s) { return s[0] + "-" + s[1]; }).join(", ");
      if (preview) { preview.textContent = released(); }
      if (previewSection) { previewSection.hidden = false; }
      renderList();
    }

    // A DOM position (node, offset) inside the content, as a code-point offset of the original text.
    function offsetOf(node, offset) {
      if (node.nodeType === Node.TEXT_NODE) {
        var holder = node.parentElement && node.parentElement.closest("[data-o]");
        if (!holder || !source.contains(holder)) { return null; }
        return Number(holder.dataset.o) + Array.from(node.data.slice(0, offset)).length;
      }
      if (node === source) {
        var child = source.childNodes[offset];
        return child && child.dataset ? Number(child.dataset.o) : chars.length;
      }
      var el = node.closest ? node.closest("[data-o]") : null;
      if (!el || !source.contains(el)) { return null; }
      return Number(el.dataset.o) + (offset > 0 ? Array.from(el.textContent).length : 0);
    }

    function chooseMasked() {
      var radio = form.querySelector("input[name=outcome][value=release_masked]");
      if (radio && !radio.checked) { radio.checked = true; }
    }

    function add(start, end) {
      spans = normalise(spans.concat([[start, end]]));
      chooseMasked();
      render();
    }

    document.getElementById("mask-add").addEventListener("click", function () {
      var selection = window.getSelection();
      if (!selection || !selection.rangeCount || selection.isCollapsed) {
        announce("Markera först den text i innehållet som ska maskeras.");
        return;
      }
      var range = selection.getRangeAt(0);
      if (!source.contains(range.commonAncestorContainer)) {
        announce("Markeringen ligger utanför handlingens innehåll.");
        return;
      }
      var start = offsetOf(range.startContainer, range.startOffset);
      var end = offsetOf(range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) {
        announce("Markeringen kunde inte läsas: markera texten igen.");
        return;
      }
      selection.removeAllRanges();
      add(start, end);
      announce("Avsnittet ”" + text(start, end) + "” maskeras.");
    });

    document.getElementById("mask-find-add").addEventListener("click", function () {
      var field = document.getElementById("mask-find");
      var needle = Array.from(field.value);
      if (!needle.length) { announce("Skriv texten som ska maskeras."); return; }
      var found = 0;
      for (var i = 0; i + needle.length <= chars.length; i += 1) {
        if (chars.slice(i, i + needle.length).join("") === field.value) {
          spans.push([i, i + needle.length]);
          found += 1;
          i += needle.length - 1;
        }
      }
      if (!found) { announce("Texten finns inte i innehållet (den måste stå exakt som i originalet)."); return; }
      add(spans[spans.length - 1][0], spans[spans.length - 1][1]);
      field.value = "";
      announce(found === 1 ? "Texten maskeras på 1 ställe." : "Texten maskeras på " + found + " ställen.");
    });

    document.getElementById("mask-clear").addEventListener("click", function () {
      spans = [];
      render();
      announce("Alla maskeringar är borttagna.");
    });

    // Typed offsets (keyboard users, or pasted from elsewhere) are applied when the field is left.
    spansInput.addEventListener("change", function () {
      var typed = spansInput.value.split(/[,;\s]+/).filter(Boolean).map(function (part) {
        var m = /^(\d+)[-–](\d+)$/.exec(part);
        return m ? [Number(m[1]), Number(m[2])] : null;
      });
      if (typed.some(function (s) { return s === null; })) {
        announce("Ange avsnitt som start–slut, t.ex. 12-20, 31-40.");
        return;
      }
      spans = normalise(typed);
      render();
    });

    render();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
