/* Keyboard triage of the mirror review page: j / k next and previous suggestion, c confirm,
   r reject, s focus the first "suppress this signal" button, d draft the takedown request.
   Each key presses the page element marked data-shortcut="<key>", so the page works the same
   without this file; keys typed into a field, or with a modifier, are left alone. */
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

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
