// "Notices to forward": the "Copy text" buttons. Without JavaScript the buttons stay
// hidden and the text can still be selected and copied by hand (long press on a phone).
// The clipboard API needs a secure context (HTTPS or localhost); on the commune's
// intranet over plain HTTP the text is selected and copied with execCommand instead.
(function () {
  "use strict";
  function selectText(box) {
    var range = document.createRange();
    range.selectNodeContents(box);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function copied(button) {
    var label = button.textContent;
    button.textContent = button.getAttribute("data-copied");
    button.classList.add("btn-success");
    button.classList.remove("btn-outline-secondary");
    window.setTimeout(function () {
      button.textContent = label;
      button.classList.remove("btn-success");
      button.classList.add("btn-outline-secondary");
    }, 2500);
  }
  function fallback(box, button) {
    selectText(box);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    if (ok) { copied(button); } else {
      var hint = document.getElementById(button.getAttribute("data-hint"));
      if (hint) { hint.hidden = false; }
    }
  }
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var box = document.getElementById(button.getAttribute("data-copy-target"));
    if (!box) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = box.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          selectText(box);
          copied(button);
        }, function () { fallback(box, button); });
      } else {
        fallback(box, button);
      }
    });
  });
})();
