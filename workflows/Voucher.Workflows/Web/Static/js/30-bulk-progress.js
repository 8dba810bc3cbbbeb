// A bulk decision saved in steps (the batch review's progress page): the next step's form posts itself, so the page
// moves on while it shows how far the save is. Without the script the officer presses the form's button.
(function () {
  "use strict";
  var form = document.querySelector("form[data-auto-submit]");
  if (!form) { return; }
  window.setTimeout(function () {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }, 300);
})();
