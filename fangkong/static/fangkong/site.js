// What the pages used to do in inline handlers, which the Content-Security-Policy forbids
// (script-src 'self'): markup says what it wants with data-* attributes, this file does it.
(function () {
  // <select data-autosubmit>: choosing sends its form (the language switch).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
  });
  // <button data-print>: prints the page (the official table).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
  // <a data-back href="…">: back to the page before (the link's address without script).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
  // <div data-width="42">: a progress bar's width in %, set through the CSSOM (a style=
  // attribute would be blocked), on the page and in every part htmx swaps in.
  function widths(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-width]") : [];
    Array.prototype.forEach.call(bars, function (bar) {
      var value = Math.max(0, Math.min(100, parseFloat(bar.dataset.width) || 0));
      bar.style.width = value + "%";
    });
  }
  // The day page's "the rest are normal": a row recorded on its own has its name taken out
  // of the list by the server's answer; the counts follow, and the button goes with the last.
  function restNormal() {
    var names = document.getElementById("rest-normal-names");
    if (!names) return;
    var n = names.children.length;
    document.querySelectorAll("[data-rest-count]").forEach(function (count) { count.textContent = n; });
    document.getElementById("rest-normal-bar").hidden = n === 0;
  }
  document.addEventListener("htmx:afterSettle", restNormal);
  document.addEventListener("DOMContentLoaded", function () { widths(document); });
  document.addEventListener("htmx:load", function (event) { widths(event.target.parentNode || event.target); });
})();
