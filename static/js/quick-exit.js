/* Quick exit: leave for a neutral page and take this page out of the tab's
   history (location.replace), so "Back" does not bring it back. Without
   JavaScript the link still leaves; only the history entry stays. Esc
   pressed three times in a row does the same as the link. */
(function () {
  "use strict";
  function leave(url) {
    document.body.hidden = true;
    window.location.replace(url);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-quick-exit]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    leave(link.href);
  });
  // The shortcut works only with this script: its hint shows only with it.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".quick-exit__hint").forEach(function (hint) { hint.hidden = false; });
  });
  var escapes = 0;
  var timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      escapes = 0;
      return;
    }
    var link = document.querySelector("a[data-quick-exit]");
    escapes += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { escapes = 0; }, 2000);
    if (link && escapes >= 3) {
      leave(link.href);
    }
  });
})();
