/* Keyboard triage of the mirror review page: j / k next and previous suggestion, c confirm,
   r reject, s focus the first "suppress this signal" button, d draft the takedown request.
   Each key presses the page element marked data-shortcut="<key>", so the page works the same
   without this file; keys typed into a field, or with a modifier, are left alone. Each score
   bar's width comes from its data-fill (a percentage), as the page has no style attribute. */
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.querySelectorAll(".bar-fill[data-fill]").forEach(function (fill) {
    var percent = Math.max(0, Math.min(100, parseFloat(fill.dataset.fill) || 0));
    fill.style.inlineSize = percent + "%";
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target) || event.key.length !== 1) return;
    var element = document.querySelector('[data-shortcut="' + event.key + '"]');
    if (!element) return;
    event.preventDefault();
    if (element.dataset.shortcutAction === "focus") {
      element.focus();
    } else {
      element.click();
    }
  });
})();
