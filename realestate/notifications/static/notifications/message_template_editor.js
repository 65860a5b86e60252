// The message template editor: the placeholders of the chosen kind, and a preview over
// sample data that follows the subject and body as they are typed (nothing is saved).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var panel = document.getElementById("re-message-preview");
    if (!panel) return;
    var kindSelect = document.getElementById("id_kind");
    var subject = document.getElementById("id_subject");
    var body = document.getElementById("id_body");
    var problem = document.getElementById("re-message-preview-problem");
    var result = document.getElementById("re-message-preview-result");
    var status = document.getElementById("re-message-preview-status");
    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;

    function kind() {
      return panel.dataset.kind || (kindSelect ? kindSelect.value : "");
    }
    function showPlaceholders() {
      var current = kind();
      document.querySelectorAll(".re-placeholder-set").forEach(function (set) {
        set.hidden = Boolean(current) && set.dataset.kind !== current;
      });
    }
    function refresh() {
      if (!kind() || !body) return;
      var data = new FormData();
      data.append("kind", kind());
      data.append("subject", subject ? subject.value : "");
      data.append("body", body.value);
      status.textContent = "…";
      fetch(panel.dataset.previewUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          status.textContent = "";
          problem.hidden = !answer.problem;
          problem.textContent = answer.problem || "";
          result.hidden = Boolean(answer.problem);
          document.getElementById("re-message-preview-subject").textContent = answer.subject;
          document.getElementById("re-message-preview-text").textContent = answer.text;
        })
        .catch(function () { status.textContent = "!"; });
    }
    function later() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    }
    [subject, body].forEach(function (field) {
      if (field) field.addEventListener("input", later);
    });
    if (kindSelect) {
      kindSelect.addEventListener("change", function () { showPlaceholders(); refresh(); });
    }
    showPlaceholders();
  });
})();
