// The portal's only script. Pages work without it; it adds:
// - confirmation before an action that cannot be undone: <form data-confirm="…"> or <button data-confirm="…">;
// - a busy state on posts: every submit button of a form being sent is disabled and, with data-busy="…", relabelled,
//   so an upload cannot be sent twice.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    if (form.method.toLowerCase() !== "post") { return; }
    // Disabled only after the browser has taken the submitter's name and value into the form data.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
        button.disabled = true;
        var busy = form.getAttribute("data-busy");
        if (busy && button === submitter) { button.textContent = busy; }
      });
    }, 0);
  });
})();
// A page restored from the back-forward cache gets its buttons back.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) { return; }
  document.querySelectorAll("form button[disabled]").forEach(function (button) { button.disabled = false; });
});
