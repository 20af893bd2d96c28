// Behaviours that templates ask for with data attributes, on every page (base.html).
// The Content-Security-Policy runs scripts from our static files only, so no template may
// carry an inline handler (onchange="", onsubmit="") or an inline <script>.
//
//   <select data-autosubmit>           submits its form when the choice changes
//   <form data-confirm="确定……？">     asks before submitting, and stays if the answer is no
//   <button data-confirm="确定……？">   the same, for one submit button of a form
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.submit();
  }
});

document.addEventListener("submit", (event) => {
  // The button that was pressed may ask its own question (a form with several actions).
  const button = event.submitter;
  const question =
    (button && button.dataset.confirm) ||
    (event.target.matches("form[data-confirm]") && event.target.dataset.confirm);
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
