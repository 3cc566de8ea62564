// The stand's kiosk (templates/campaigns/stand_kiosk.html): after a minute
// without a touch, empty the form and reload the empty page, so whatever the
// last visitor typed (and did not send) is gone before the next one comes.
// Without JavaScript the page still works; see campaigns.views.stand_kiosk.
(function () {
  "use strict";
  var kiosk = document.querySelector("[data-kiosk-idle-seconds]");
  if (!kiosk) {
    return;
  }
  var idleMilliseconds = Number(kiosk.getAttribute("data-kiosk-idle-seconds")) * 1000;
  var emptyUrl = kiosk.getAttribute("data-kiosk-empty-url");
  var timer = null;

  function forget() {
    document.querySelectorAll("form").forEach(function (form) {
      form.reset();
    });
    window.location.replace(emptyUrl);
  }

  function restart() {
    window.clearTimeout(timer);
    timer = window.setTimeout(forget, idleMilliseconds);
  }

  ["pointerdown", "keydown", "input", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true, capture: true });
  });
  restart();
})();
