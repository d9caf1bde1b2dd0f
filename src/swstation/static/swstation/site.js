// Behaviour every page shares, kept out of the HTML so that the Content-Security-Policy can
// refuse inline scripts and event handlers (settings.SECURE_CSP):
// - <select data-autosubmit> sends its form when its value changes (the language switch);
// - <button data-print> opens the browser's print dialog (the printable reports).
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
  });
})();
