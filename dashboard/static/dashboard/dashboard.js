// Nebula dashboard behaviour: modal forms loaded by htmx, confirmations, batch selection.
(function () {
  "use strict";
  var modalEl = function () { return document.getElementById("modal"); };

  // A form loaded into #modal-content opens the modal; a form re-rendered with errors stays in it.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "modal-content") {
      bootstrap.Modal.getOrCreateInstance(modalEl()).show();
      var first = event.detail.target.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    }
  });
  document.addEventListener("hidden.bs.modal", function (event) {
    if (event.target.id !== "modal") { return; }
    var content = document.getElementById("modal-content");
    // Content that changed the page behind the modal (e.g. a secret shown once) reloads it on close.
    var reload = content.querySelector("[data-reload-on-close]");
    content.innerHTML = "";
    if (reload) { window.location.reload(); }
  });
  // A response marked HX-Trigger: nebula:reload reloads the page (e.g. closing a "secret shown once" modal).
  document.body.addEventListener("nebula:reload", function () { window.location.reload(); });

  // Buttons with data-confirm ask first (delete and other destructive actions).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // Batch actions are enabled only while at least one row is checked.
  function refreshBatch(form) {
    var any = form.querySelectorAll("input.nb-select:checked").length > 0;
    form.querySelectorAll(".nb-batch-action").forEach(function (b) { b.disabled = !any; });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest(".nb-table-form");
    if (!form) { return; }
    if (event.target.classList.contains("nb-select-all")) {
      form.querySelectorAll("input.nb-select").forEach(function (c) { c.checked = event.target.checked; });
    }
    refreshBatch(form);
  });
})();
