// Skip logic, as a convenience: a question shown only after a given answer is hidden until
// that answer is chosen. Without JavaScript every question shows with its "Only if you
// answered …" hint, and the server ignores an answer whose condition is not met.
(function () {
  "use strict";
  var form = document.querySelector("form[data-skip-logic]");
  if (!form) return;
  var dependants = form.querySelectorAll("[data-show-if-name]");
  function update() {
    dependants.forEach(function (question) {
      var chosen = form.querySelector('input[name="' + question.dataset.showIfName + '"]:checked');
      var earlier = document.getElementById(question.dataset.showIfName);
      var shown = !!chosen && chosen.value === question.dataset.showIfValue && !(earlier && earlier.hidden);
      question.hidden = !shown;
    });
  }
  form.addEventListener("change", update);
  update();
})();
