// Review form: once the answers change after "Propose status", the proposal shown no
// longer matches them. Hide it and the save button until the official proposes again.
// Without JavaScript the server still recomputes the proposal on save.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) { return; }
  var proposal = document.getElementById("proposal");
  var save = form.querySelector("button[value='save']");
  var note = document.getElementById("proposal-stale");
  if (!proposal || !save) { return; }
  function stale(event) {
    var name = event.target && event.target.name;
    if (name !== "income_per_person" && name !== "deprivations" && name !== "year") { return; }
    proposal.hidden = true;
    save.hidden = true;
    if (note) { note.hidden = false; }
  }
  form.addEventListener("input", stale);
  form.addEventListener("change", stale);
})();
