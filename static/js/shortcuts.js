// Keyboard shortcuts on every page: "/" goes to the search box, "?" lists the shortcuts.
// Neither fires while someone is typing in a field.
(function () {
  "use strict";
  var dialog = document.getElementById("shortcuts-dialog");
  var opener = null;
  if (!dialog) { return; }  // signed-out pages (the login page) have no shortcuts

  function typing(element) {
    if (!element || !element.tagName) { return false; }
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  function openShortcuts() {
    if (dialog.open) { return; }
    opener = document.activeElement;
    dialog.showModal();
  }

  function focusSearch() {
    var box = document.querySelector("[data-search-box]");
    if (box) {
      box.focus();
      if (box.select) { box.select(); }
      return;
    }
    // No search box here: the home page has one, focused when it opens.
    var home = document.querySelector(".brand");
    if (home) { window.location.assign(home.href); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (dialog.open || typing(event.target)) { return; }
    if (event.key === "/") {
      event.preventDefault();
      focusSearch();
    } else if (event.key === "?") {
      event.preventDefault();
      openShortcuts();
    }
  });

  dialog.addEventListener("close", function () {
    if (opener && opener.focus) { opener.focus(); }
    opener = null;
  });
  dialog.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-shortcuts-close]")) {
      dialog.close();
      return;
    }
    // A click on the backdrop (outside the box) closes it too, like Escape.
    var box = dialog.getBoundingClientRect();
    var outside = event.clientX < box.left || event.clientX > box.right ||
      event.clientY < box.top || event.clientY > box.bottom;
    if (event.target === dialog && outside && event.detail > 0) { dialog.close(); }
  });
  document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", openShortcuts);
  });
})();
