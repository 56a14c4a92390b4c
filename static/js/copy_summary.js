// The detail page's "Copy summary" and "Copy a /go link" (progressive enhancement: without
// JavaScript the text is in the "Show the summary and the link" disclosure, ready to select).
// Buttons work from the keyboard like any button; "c" and "l" press them from anywhere on the
// page (not while typing in a field). What happened is said in a polite live region, so a
// screen reader announces it.
(function () {
  "use strict";
  var status = document.getElementById("copy-announcement");
  var buttons = document.querySelectorAll("button[data-copy-target]");
  if (!buttons.length) { return; }

  function announce(text) {
    if (!status) { return; }
    // Clearing first makes a repeated message ("copied" twice) be announced again.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function fallbackCopy(field) {
    // No async clipboard (an older browser, or a page not served over https).
    field.focus();
    field.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    return done;
  }

  function copy(button) {
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field) { return; }
    var text = field.value;
    var ok = function () { announce(button.dataset.copied || "Copied"); };
    var failed = function () {
      if (fallbackCopy(field)) { ok(); return; }
      var details = field.closest("details");
      if (details) { details.open = true; }
      field.focus();
      field.select();
      announce("Copying is blocked here: the text is selected, press Ctrl+C to copy it.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(ok, failed);
    } else {
      failed();
    }
  }

  function typing(element) {
    if (!element || !element.tagName) { return false; }
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  var byKey = {};
  buttons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
    var key = button.getAttribute("aria-keyshortcuts");
    if (key) { byKey[key] = button; }
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target) || document.querySelector("dialog[open]")) { return; }
    var button = byKey[event.key];
    if (button) {
      event.preventDefault();
      copy(button);
    }
  });
})();
