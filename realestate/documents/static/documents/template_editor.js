// The document template editor's live preview: the unsaved body and CSS are POSTed (debounced)
// with the chosen record; the pane shows the first pages as images, or the template's problem.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var pane = document.getElementById("re-preview");
    var kindField = document.getElementById("id_kind");
    if (!kindField) return;
    showPlaceholders(kindField);
    kindField.addEventListener("change", function () { showPlaceholders(kindField); });
    if (!pane) return;

    var fields = ["kind", "language", "page_size", "body", "css"];
    var recordSelect = document.getElementById("re-preview-record");
    var search = document.getElementById("re-preview-search");
    var status = document.getElementById("re-preview-status");
    var problem = document.getElementById("re-preview-problem");
    var refused = document.getElementById("re-preview-refused");
    var note = document.getElementById("re-preview-note");
    var pages = document.getElementById("re-preview-pages");
    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var recordsTimer = null;
    var sequence = 0;
    var inFlight = null;

    function field(name) {
      return document.getElementById("id_" + name);
    }

    function show(element, text) {
      element.textContent = text || "";
      element.hidden = !text;
    }

    function loadRecords() {
      var url = pane.dataset.recordsUrl + "?kind=" + encodeURIComponent(kindField.value) +
        "&q=" + encodeURIComponent(search.value);
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { records: [] }; })
        .then(function (data) {
          var chosen = recordSelect.value;
          recordSelect.innerHTML = "";
          (data.records || []).forEach(function (row) {
            var option = document.createElement("option");
            option.value = row.id;
            option.textContent = row.label;
            recordSelect.appendChild(option);
          });
          if (!data.records || !data.records.length) {
            var none = document.createElement("option");
            none.value = "";
            none.textContent = data.registered ? "(no record found)" : "(sample: no record kind registered)";
            recordSelect.appendChild(none);
          }
          if (chosen && recordSelect.querySelector('option[value="' + chosen + '"]')) {
            recordSelect.value = chosen;
          }
        });
    }

    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(render, delay === undefined ? 600 : delay);
      pages.classList.add("re-stale");
      status.textContent = "…";
    }

    function render() {
      var body = new FormData();
      fields.forEach(function (name) {
        var input = field(name);
        body.append(name, input ? input.value : "");
      });
      body.append("record", recordSelect.value || "");
      var mine = ++sequence;
      if (inFlight) inFlight.abort();
      inFlight = new AbortController();
      status.textContent = "Rendering…";
      fetch(pane.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "", Accept: "application/json" },
        signal: inFlight.signal,
      })
        .then(function (response) {
          if (response.status === 404) throw new Error("That record is not one you may see.");
          if (!response.ok) throw new Error("The preview failed (" + response.status + ").");
          return response.json();
        })
        .then(function (data) {
          if (mine !== sequence) return;
          if (data.problem) {
            var where = data.problem.line ? "Line " + data.problem.line + ": " : "";
            show(problem, where + data.problem.message);
            status.textContent = "Template problem";
            return;
          }
          show(problem, "");
          show(note, data.note);
          show(refused, data.refused && data.refused.length
            ? "Not shown (a template may use static files, data: URIs, the company logo and the record's own images only): " + data.refused.join(", ")
            : "");
          pages.innerHTML = "";
          data.pages.forEach(function (src, index) {
            var image = document.createElement("img");
            image.src = src;
            image.alt = "Page " + (index + 1) + " of " + data.page_count;
            pages.appendChild(image);
          });
          pages.classList.remove("re-stale");
          status.textContent = data.page_count + (data.page_count === 1 ? " page" : " pages") +
            " · " + data.milliseconds + " ms";
        })
        .catch(function (error) {
          if (error.name === "AbortError" || mine !== sequence) return;
          show(problem, error.message);
          status.textContent = "";
        });
    }

    fields.forEach(function (name) {
      var input = field(name);
      if (!input) return;
      input.addEventListener("input", function () { schedule(); });
      input.addEventListener("change", function () { schedule(); });
    });
    kindField.addEventListener("change", function () {
      loadRecords().then(function () { schedule(0); });
    });
    recordSelect.addEventListener("change", function () { schedule(0); });
    search.addEventListener("input", function () {
      clearTimeout(recordsTimer);
      recordsTimer = setTimeout(function () {
        loadRecords().then(function () { schedule(0); });
      }, 400);
    });

    loadRecords().then(function () { schedule(0); });
  });

  function showPlaceholders(kindField) {
    var kind = kindField ? kindField.value : "";
    document.querySelectorAll(".re-placeholder-set").forEach(function (set) {
      set.hidden = set.dataset.kind !== kind;
    });
  }
})();
