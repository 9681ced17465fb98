// Autosave resilience for self-assessment pages (htmx does the saving).
// When a save cannot reach the server, say so next to the field and try again with a
// growing delay; what the user typed stays in the form, and leaving the page with an
// unsaved change asks for confirmation. No inline script: the CSP forbids it.
(function () {
  "use strict";
  var MAX_DELAY = 30000;

  function statusOf(elt) {
    return elt.querySelector(".save-status");
  }

  function retryLater(elt) {
    var attempt = (Number(elt.dataset.retry) || 0) + 1;
    elt.dataset.retry = String(attempt);
    var status = statusOf(elt);
    if (status) {
      status.textContent = status.dataset.offline || "";
      status.classList.add("status-error");
    }
    window.setTimeout(function () {
      if (elt.dataset.retry) {
        window.htmx.trigger(elt, "retry");
      }
    }, Math.min(MAX_DELAY, 1000 * Math.pow(2, attempt)));
  }

  document.addEventListener("htmx:sendError", function (event) {
    retryLater(event.detail.elt);
  });
  document.addEventListener("htmx:responseError", function (event) {
    // 4xx answers explain themselves in the swapped status; only server errors are retried.
    if (event.detail.xhr && event.detail.xhr.status >= 500) {
      retryLater(event.detail.elt);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      delete event.detail.elt.dataset.retry;
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    event.detail.elt.dataset.pending = "1";
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      delete event.detail.elt.dataset.pending;
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("[data-retry], [data-pending]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
