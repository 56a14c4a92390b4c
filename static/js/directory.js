// The business directory, enhanced: suggestions as you type in the home page's finder (a
// combobox), the progress bar kept current while the directory fills, and arrow keys on the
// /businesses/ results. Every form works without this file: the finder then submits to
// /businesses/, and the progress shows its figure as of the page load.
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var POLL_MS = 1000;

  function getJSON(url, signal) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      signal: signal
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  // -- the finder: a combobox with a listbox of suggestions ------------------------------------
  function Finder(form) {
    this.form = form;
    this.input = form.querySelector("[role=combobox]");
    this.list = document.getElementById(this.input.getAttribute("aria-controls"));
    this.status = form.querySelector("[data-suggest-status]");
    this.url = form.dataset.suggestUrl;
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.sequence = 0;
    this.lastQuery = null;
    this.bind();
  }

  Finder.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.schedule(); });
    this.input.addEventListener("keydown", function (event) { self.onKey(event); });
    this.input.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 150);
    });
    this.list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.choose(self.options.indexOf(option)); }
    });
    var search = document.querySelector("form[data-customer-search]");
    if (search) {
      search.addEventListener("submit", function (event) {
        var chosen = search.querySelector("[data-chosen-business]");
        if (chosen && !chosen.value) {
          event.preventDefault();
          event.stopImmediatePropagation();
          self.say("Find a business first: type part of its name here.");
          self.input.focus();
        }
      }, true);
    }
  };

  Finder.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.fetch(); }, DEBOUNCE_MS);
  };

  Finder.prototype.fetch = function () {
    var query = this.input.value.trim();
    if (query === this.lastQuery && this.options.length) { this.open(); return; }
    this.lastQuery = query;
    if (this.controller) { this.controller.abort(); }
    if (!query) { this.render(null); return; }
    var self = this;
    var sequence = ++this.sequence;
    this.controller = window.AbortController ? new AbortController() : null;
    var url = this.url + "?format=json&q=" + encodeURIComponent(query);
    getJSON(url, this.controller && this.controller.signal).then(function (data) {
      if (sequence === self.sequence) {
        self.render(data);
        self.list.dataset.query = query;  // which text the suggestions answer (tests wait on it)
      }
    }).catch(function (error) {
      if (error.name !== "AbortError") { self.say("Suggestions are unavailable; press Enter to search."); }
    });
  };

  Finder.prototype.render = function (data) {
    var self = this;
    this.list.textContent = "";
    this.options = [];
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (!data) { this.close(); return; }
    var rows = data.results || [];
    if (data.open) {
      rows = [{ id: "", name: "Open the business with this ID", url: data.open, open: true }];
    }
    rows.forEach(function (row, index) {
      var option = document.createElement("li");
      option.setAttribute("role", "option");
      option.id = "business-option-" + index;
      option.setAttribute("aria-selected", "false");
      option.dataset.id = row.id;
      option.dataset.url = row.url;
      option.dataset.label = row.name + (row.currency ? " (" + row.currency + ")" : "");
      if (row.open) { option.dataset.open = "1"; }
      var name = document.createElement("span");
      name.className = "option-name";
      name.textContent = row.name;
      option.appendChild(name);
      var facts = [row.country, row.currency].filter(Boolean);
      if (row.recent) { facts.push("recent"); }
      if (row.gone) { facts.push("gone from Thredfi"); }
      if (facts.length) {
        var meta = document.createElement("span");
        meta.className = "option-meta";
        meta.textContent = facts.join(" · ");
        option.appendChild(meta);
      }
      self.list.appendChild(option);
      self.options.push(option);
    });
    var message;
    if (rows.length) {
      message = rows.length + (data.has_more ? "+" : "") + " suggestion" + (rows.length === 1 ? "" : "s") +
        ": arrow keys to move, Enter to choose.";
    } else {
      message = "No business matches";
      if (data.status && !data.status.complete) { message += " among the " + data.status.text + " loaded so far"; }
      message += ".";
    }
    this.say(message);
    if (rows.length) { this.open(); } else { this.close(); }
  };

  Finder.prototype.open = function () {
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Finder.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Finder.prototype.say = function (text) {
    if (this.status) { this.status.textContent = text; }
  };

  Finder.prototype.highlight = function (index) {
    if (!this.options.length) { return; }
    var count = this.options.length;
    this.active = (index + count) % count;
    var self = this;
    this.options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === self.active ? "true" : "false");
    });
    var current = this.options[this.active];
    this.input.setAttribute("aria-activedescendant", current.id);
    if (current.scrollIntoView) { current.scrollIntoView({ block: "nearest" }); }
    this.open();
  };

  Finder.prototype.onKey = function (event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (this.list.hidden && this.options.length) { this.open(); }
      this.highlight(this.active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      this.highlight(this.active - 1);
    } else if (event.key === "Enter") {
      var pending = this.input.value.trim() !== (this.lastQuery || "");
      if (this.active >= 0 && !this.list.hidden) {
        event.preventDefault();
        this.choose(this.active);
      } else if (!pending && this.options.length === 1) {
        event.preventDefault();
        this.choose(0);
      }
      // Otherwise the form submits: the /businesses/ page lists every match.
    } else if (event.key === "Escape") {
      if (!this.list.hidden) {
        event.preventDefault();
        this.close();
      }
    }
  };

  Finder.prototype.choose = function (index) {
    var option = this.options[index];
    if (!option) { return; }
    if (option.dataset.open) {
      window.location.assign(option.dataset.url);
      return;
    }
    document.querySelectorAll("[data-chosen-business]").forEach(function (input) {
      input.value = option.dataset.id;
    });
    document.querySelectorAll("[data-chosen-business-name]").forEach(function (place) {
      place.textContent = "";
      var strong = document.createElement("strong");
      strong.textContent = option.dataset.label;
      place.appendChild(strong);
    });
    this.input.value = option.querySelector(".option-name").textContent;
    this.lastQuery = this.input.value.trim();
    this.close();
    this.say(option.dataset.label + " chosen: search its customers below.");
    var next = document.getElementById("id_q");
    if (next) { next.focus(); }
  };

  // -- the progress bar: polled while the directory fills ----------------------------------------
  function Progress(element) {
    this.element = element;
    this.bar = element.querySelector("progress");
    this.text = element.querySelector("[data-progress-text]");
    this.url = element.dataset.directoryStatus;
    this.failures = 0;
    this.poll();
  }

  Progress.prototype.poll = function () {
    var self = this;
    window.setTimeout(function () {
      getJSON(self.url).then(function (status) { self.update(status); }).catch(function () {
        self.failures += 1;
        if (self.failures < 5) { self.poll(); }
      });
    }, POLL_MS);
  };

  Progress.prototype.update = function (status) {
    this.bar.max = status.total;
    this.bar.value = status.known;
    this.bar.textContent = Math.floor(100 * status.known / status.total) + "%";
    if (status.filling) {
      this.text.textContent = status.text + " loaded. Search already covers these.";
      this.poll();
      return;
    }
    this.text.setAttribute("role", "status");
    var label = this.element.querySelector("label");
    if (label) { label.textContent = "This partner's businesses from Thredfi"; }
    if (status.complete) {
      this.text.textContent = "All " + status.text + " loaded.";
      this.element.classList.add("is-complete");
    } else {
      this.text.textContent = "Only " + status.text + " are known: the list could not be read " +
        "completely. Search covers those; the rest will be read again shortly.";
    }
  };

  // -- /businesses/ results: arrow keys, Enter on a single result ---------------------------------
  function Results(form, list) {
    var input = form.querySelector("[data-search-box]");
    var links = Array.prototype.slice.call(list.querySelectorAll("li > a"));
    var rendered = input.value;
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[0].focus();
      } else if (event.key === "Enter" && links.length === 1 && input.value === rendered && rendered) {
        event.preventDefault();
        window.location.assign(links[0].href);
      }
    });
    list.addEventListener("keydown", function (event) {
      var index = links.indexOf(document.activeElement);
      if (index < 0) { return; }
      if (event.key === "ArrowDown" && index < links.length - 1) {
        event.preventDefault();
        links[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (index === 0) { input.focus(); } else { links[index - 1].focus(); }
      }
    });
  }

  document.querySelectorAll("form[data-finder]").forEach(function (form) { new Finder(form); });
  document.querySelectorAll("[data-directory-status]").forEach(function (el) { new Progress(el); });
  var resultsForm = document.querySelector("form[data-business-results-form]");
  var resultsList = document.querySelector("[data-business-results]");
  if (resultsForm && resultsList) { new Results(resultsForm, resultsList); }
})();
