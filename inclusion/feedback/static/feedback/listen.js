/* "Listen": reads a question and its answers aloud with the browser's speech synthesis, where
   it has a voice for the page's language. The buttons stay hidden without JavaScript or
   without such a voice; the page works the same without them. No inline script (CSP). */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || !("SpeechSynthesisUtterance" in window)) return;
  var language = (document.documentElement.lang || "").toLowerCase();

  function voice() {
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().replace("_", "-").split("-")[0] === language) return voices[i];
    }
    return null;
  }

  function enable() {
    if (!voice()) return;
    var buttons = document.querySelectorAll("button.speak");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.speak") : null;
    if (!button) return;
    var question = document.getElementById(button.getAttribute("data-question"));
    if (!question) return;
    var parts = [];
    var text = question.querySelector(".question-text");
    if (text) parts.push(text.textContent.trim());
    var labels = question.querySelectorAll(".choice span");
    for (var i = 0; i < labels.length; i++) parts.push(labels[i].textContent.trim());
    var utterance = new window.SpeechSynthesisUtterance(parts.join(". "));
    utterance.lang = language;
    try {
      utterance.voice = voice();
    } catch (error) {
      /* the language alone chooses a voice then */
    }
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  });

  enable();
  if (window.speechSynthesis.addEventListener) window.speechSynthesis.addEventListener("voiceschanged", enable);
})();
