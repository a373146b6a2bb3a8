// The attendance sheet: "Everyone came" ticks everyone who holds a place without
// reloading the page (without JavaScript the link reloads the sheet with all ticked),
// and the "n / N came" counter follows the toggles.
(function () {
  "use strict";
  var form = document.getElementById("attendance-form");
  if (!form) { return; }
  var counter = document.getElementById("came-count");
  function holding() {
    return form.querySelectorAll("input[name='came'][data-holding]");
  }
  function recount() {
    if (!counter) { return; }
    var n = 0;
    holding().forEach(function (box) { if (box.checked) { n += 1; } });
    counter.textContent = String(n);
  }
  var everyone = document.getElementById("everyone");
  if (everyone) {
    everyone.addEventListener("click", function (event) {
      event.preventDefault();
      holding().forEach(function (box) { box.checked = true; });
      recount();
    });
  }
  form.addEventListener("change", recount);
})();
