// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function showBusy(label) {
    var indicator = document.querySelector(".busy-indicator");
    if (!indicator) {
      indicator = document.createElement("div");
      indicator.className = "busy-indicator";
      indicator.setAttribute("role", "status");
      document.body.appendChild(indicator);
    }
    indicator.textContent = label || "Looking up…";
    document.body.classList.add("is-busy");
    document.body.setAttribute("aria-busy", "true");
  }

  function clearBusy() {
    document.body.classList.remove("is-busy");
    document.body.removeAttribute("aria-busy");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    showBusy(form.dataset.busyLabel);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-busy]");
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      showBusy(link.dataset.busy);
    }
    var copy = event.target.closest && event.target.closest("button[data-copy]");
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(copy.dataset.copy).then(function () {
        var original = copy.textContent;
        copy.textContent = "Copied";
        window.setTimeout(function () { copy.textContent = original; }, 1500);
      });
    }
  });

  // Coming back with the browser's Back button must not leave a stale spinner or disabled button.
  window.addEventListener("pageshow", function () {
    clearBusy();
    document.querySelectorAll("button[type=submit][disabled]").forEach(function (b) { b.disabled = false; });
  });

  // Copy buttons are hidden until JavaScript can make them work.
  document.querySelectorAll("button[data-copy]").forEach(function (b) { b.hidden = false; });
})();

// Tell the server which time zone this browser is in (a cookie), so pages show times in it.
// A zone saved on the Settings page wins over this; without JavaScript times stay in UTC.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  // IANA names only ("Europe/Paris", "Etc/GMT+5"): nothing that needs quoting in a cookie.
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) { return; }
  var current = document.cookie.split("; ").filter(function (c) { return c.indexOf("tz=") === 0; })[0];
  if (current === "tz=" + zone) { return; }
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax" +
    (window.location.protocol === "https:" ? "; Secure" : "");
})();

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
