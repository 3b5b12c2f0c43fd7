/* Small behaviours of the staff UI: live deadline countdowns, the group picker of the entry
   form, keyboard shortcuts and bulk selection in lists. Everything works without this file;
   it only makes the pages quicker to use. */
(function () {
  "use strict";

  var strings = {};
  try {
    strings = JSON.parse(document.getElementById("ui-strings").textContent);
  } catch (e) { /* the countdown keeps the server's text */ }

  function fill(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  // Mirrors tracker/templatetags/ui.py duration_text and deadline_text.
  function duration(ms) {
    var seconds = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(seconds / 86400);
    var h = Math.floor((seconds % 86400) / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    if (d) return fill(strings.dh, { d: d, h: h });
    if (h) return fill(strings.hm, { h: h, m: m });
    return fill(strings.m, { m: m });
  }

  // The server says where each deadline stands (tracker/templatetags/ui.py countdown): its
  // state, the seconds left, and the later states with the seconds until each. This only counts
  // the seconds down and switches to an announced state when its time comes: no rule here.
  function tick() {
    if (!strings.left) return;
    var now = Date.now();
    document.querySelectorAll(".deadline[data-left]").forEach(function (el) {
      if (el.dataset.paused) return; // a paused clock does not move
      if (!el.dataset.seenAt) el.dataset.seenAt = String(now); // rendered (or swapped in) now
      var elapsed = (now - Number(el.dataset.seenAt)) / 1000;
      var left = Number(el.dataset.left) - elapsed;
      var state = el.dataset.state;
      (el.dataset.changes || "").split(" ").forEach(function (change) {
        var parts = change.split(":");
        if (parts.length === 2 && elapsed >= Number(parts[1])) state = parts[0];
      });
      var text = state === "overdue"
        ? fill(strings.overdue, { time: duration(left * 1000) })
        : fill(strings.left, { time: duration(left * 1000) });
      var label = el.querySelector(".deadline-text");
      if (label && label.textContent !== text) label.textContent = text;
      ["ok", "soon", "overdue"].forEach(function (s) { el.classList.toggle("is-" + s, s === state); });
      var row = el.closest("tr");
      if (row) {
        ["ok", "soon", "overdue"].forEach(function (s) { row.classList.toggle("row-" + s, s === state); });
      }
    });
  }

  // ---- Group picker of the entry form ----
  function pickerForm() { return document.getElementById("entry-form"); }

  function groupsChanged() {
    var form = pickerForm();
    if (form) form.dispatchEvent(new CustomEvent("entry-groups-changed", { bubbles: true }));
  }

  function addChip(id, name) {
    var chips = document.getElementById("group-chips");
    if (!chips || chips.querySelector('input[value="' + id + '"]')) return;
    var chip = document.createElement("label");
    chip.className = "chip";
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = "groups"; box.value = id; box.checked = true;
    chip.appendChild(box);
    chip.appendChild(document.createTextNode(" " + name));
    chips.appendChild(chip);
    groupsChanged();
  }

  function choose(checkbox) {
    var label = checkbox.closest("label");
    if (!label) return;
    var li = label.closest("li");
    if (li) li.remove();
    var search = document.getElementById("group-q");
    if (search) { search.value = ""; search.focus(); }
    var options = document.getElementById("group-options");
    if (options) options.innerHTML = "";
    addChip(checkbox.value, checkbox.dataset.name || label.textContent.trim());
  }

  // A group named in the handle or display name, suggested under the handle box.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".chip-suggest");
    if (!button) return;
    addChip(button.dataset.group, button.dataset.name);
    button.remove();
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("#group-options input[name=groups]") && target.checked) {
      choose(target);
    } else if (target.matches("#group-chips input[name=groups]") && !target.checked) {
      target.closest(".chip").remove();
      groupsChanged();
      var search = document.getElementById("group-q");
      if (search) search.focus();
    } else if (target.matches("input[name=ids], [data-select-all]")) {
      if (target.matches("[data-select-all]")) {
        target.form.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = target.checked; });
      }
      updateSelection(target.form);
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.id === "group-q") {
      var first = document.querySelector("#group-options input[name=groups]");
      if (event.key === "Enter" && target.value.trim()) {
        // Enter in the group box picks the first match instead of saving the form.
        event.preventDefault();
        if (first) { first.checked = true; choose(first); }
      } else if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        first.focus();
      }
    } else if (target.matches("#group-options input") && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      var boxes = Array.prototype.slice.call(document.querySelectorAll("#group-options input"));
      var next = boxes[boxes.indexOf(target) + (event.key === "ArrowDown" ? 1 : -1)];
      event.preventDefault();
      (next || document.getElementById("group-q")).focus();
    } else if (target.matches("#group-options input") && event.key === "Enter") {
      event.preventDefault();
      target.checked = true;
      choose(target);
    } else if (target.tagName === "TEXTAREA" && event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.form) {
      event.preventDefault();
      target.form.requestSubmit();
    }
  });

  // ---- Bulk selection ----
  function updateSelection(form) {
    if (!form) return;
    var boxes = form.querySelectorAll("input[name=ids]");
    var count = 0;
    boxes.forEach(function (box) {
      if (box.checked) count += 1;
      var row = box.closest("tr");
      if (row) row.classList.toggle("is-selected", box.checked);
    });
    var all = form.querySelector("[data-select-all]");
    if (all) {
      all.checked = count > 0 && count === boxes.length;
      all.indeterminate = count > 0 && count < boxes.length;
    }
    form.querySelectorAll("[data-selected-count]").forEach(function (el) {
      // With nothing ticked the label keeps the server's text (the number of results).
      if (el.dataset.idle === undefined) el.dataset.idle = el.textContent;
      el.textContent = count ? fill(el.dataset.template || "%(n)s", { n: count }) : el.dataset.idle;
    });
    form.querySelectorAll("[data-needs-selection]").forEach(function (el) { el.disabled = count === 0; });
  }

  function init(root) {
    (root || document).querySelectorAll("form[data-bulk]").forEach(updateSelection);
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    setInterval(tick, 1000);
  });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
})();
