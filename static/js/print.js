// The "Print" button of the printable training pages (sign-in sheet, participant lists,
// certificates). Without JavaScript the button stays hidden and the hint beside it tells
// the reader to use the browser's own Print (Ctrl+P).
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    var hint = document.getElementById(button.getAttribute("data-print"));
    if (hint) { hint.hidden = true; }
    button.addEventListener("click", function () { window.print(); });
  });
})();
