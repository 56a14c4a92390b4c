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
