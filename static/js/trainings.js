// Course form: "All ethnic-minority hamlets" ticks or unticks every hamlet of that group
// at once, and is unticked again when one of them is. Without JavaScript the server adds
// the hamlets itself when the box is ticked.
(function () {
  "use strict";
  var all = document.querySelector("input[data-ticks-group]");
  if (!all) { return; }
  var group = document.querySelector("[data-village-group='" + all.dataset.ticksGroup + "']");
  if (!group) { return; }
  var boxes = Array.prototype.slice.call(group.querySelectorAll("input[type=checkbox]"));
  function sync() {
    all.checked = boxes.length > 0 && boxes.every(function (b) { return b.checked; });
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
  });
  boxes.forEach(function (b) { b.addEventListener("change", sync); });
  if (all.checked) {
    boxes.forEach(function (b) { b.checked = true; });
  } else {
    sync();
  }
})();
