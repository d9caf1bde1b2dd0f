// Behaviour every page shares, kept out of the HTML so that the Content-Security-Policy can
// refuse inline scripts and event handlers (settings.SECURE_CSP):
// - <select data-autosubmit> sends its form when its value changes (the language switch);
// - <button data-print> opens the browser's print dialog (the printable reports);
// - <a data-export> exports the list with the filters applied now.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
    // <a data-export="xlsx">: the list as filtered now (htmx filtering changes the address,
    // not the link), without its page.
    var exportLink = event.target instanceof Element ? event.target.closest("a[data-export]") : null;
    if (exportLink) {
      var params = new URLSearchParams(window.location.search);
      params.delete("page");
      params.set("export", exportLink.getAttribute("data-export"));
      exportLink.href = window.location.pathname + "?" + params.toString();
    }
  });
})();

// Searchable selects (core/widgets.py): <select data-search="local|tree|remote">, made a Tom
// Select box. "local" filters its own options; "tree" shows a tree to browse (data-depth) and
// finds more by name from data-search-url; "remote" finds them by name only. The <select>
// keeps the value sent (a number, a division code), so the form and htmx work as before.
(function () {
  "use strict";
  if (typeof window.TomSelect === "undefined") return;
  var NO_RESULTS = document.documentElement.lang.indexOf("zh") === 0 ? "没有找到" : "Nothing found";

  function render(escape) {
    var option = function (data) {
      var depth = parseInt(data.depth || "0", 10) || 0;
      return '<div class="ts-depth-' + Math.min(depth, 3) + '">' + escape(data.text) + "</div>";
    };
    return {
      option: option,
      item: function (data) { return "<div>" + escape(data.text) + "</div>"; },
      no_results: function () { return '<div class="no-results">' + NO_RESULTS + "</div>"; }
    };
  }

  function searchable(select) {
    if (select.tomselect) return;
    var mode = select.getAttribute("data-search");
    var url = select.getAttribute("data-search-url");
    var settings = {
      allowEmptyOption: true,
      maxOptions: 300,
      placeholder: select.getAttribute("data-placeholder") || "",
      plugins: select.multiple ? ["remove_button"] : [],
      render: render,
      // One tap on a phone opens the list; the search box is the box itself.
      openOnFocus: true,
      onItemAdd: function () { if (!select.multiple) this.blur(); }
    };
    if (url && mode !== "local") {
      settings.valueField = "value";
      settings.labelField = "text";
      settings.searchField = ["text"];
      settings.shouldLoad = function (query) { return query.length > 0; };
      settings.load = function (query, callback) {
        var sep = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), {
          credentials: "same-origin", headers: { Accept: "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (json) { callback(json.results); })
          .catch(function () { callback(); });
      };
    }
    new window.TomSelect(select, settings);
  }

  function init(root) {
    root.querySelectorAll("select[data-search]").forEach(searchable);
  }

  // A list's filter panel (core/object_list.html) collapses after a search, and on a phone
  // it starts closed: the list comes first, what is applied shows as chips.
  function collapseFilters(always) {
    var panel = document.getElementById("filter-panel");
    if (!panel) return;
    if (always || document.getElementById("filter-chips") || window.innerWidth < 768) {
      panel.open = false;
    }
  }

  function start() {
    init(document);
    if (window.innerWidth < 768) collapseFilters(true);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    init(event.target);
    // Collapsed after "Apply", not after each choice (a select sends its form at once).
    var config = event.detail && event.detail.requestConfig;
    var trigger = config && config.triggeringEvent;
    if (event.target.id === "object-table" && trigger && trigger.type === "submit") {
      collapseFilters(false);
    }
  });
})();
