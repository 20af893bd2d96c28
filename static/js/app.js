// Behaviours that templates ask for with data attributes, on every page (base.html).
// The Content-Security-Policy runs scripts from our static files only, so no template may
// carry an inline handler (onchange="", onsubmit="") or an inline <script>.
//
//   <select data-autosubmit>           submits its form when the choice changes
//   <form data-confirm="确定……？">     asks before submitting, and stays if the answer is no
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.submit();
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
