// Monitoring report and self-evaluation pages: as the clerk types, the server recomputes the
// lights or scores with the same rules it saves with (POST to the form's data-preview address;
// nothing is saved) and this script shows them. Without JavaScript the page still works: the
// figures are recomputed on 保存草稿.
"use strict";

(() => {
  const form = document.getElementById("report-form");
  if (!form || !form.dataset.preview || form.querySelector("fieldset[disabled]")) {
    return;
  }
  const LIGHTS = ["green", "blue", "yellow", "red", "none"];

  function showLight(element, signal) {
    if (!element || !signal) return;
    LIGHTS.forEach((name) => element.classList.remove(`light-${name}`));
    element.classList.add(`light-${signal.light || "none"}`);
    element.textContent = signal.label;
    element.title = signal.explanation;
  }

  function setText(id, text) {
    const element = document.getElementById(id);
    if (element) element.textContent = text === "" ? "—" : text;
  }

  function show(result) {
    if (result.budget) {
      showLight(document.getElementById("budget-light"), result.budget);
      setText("budget-explanation", result.budget.explanation);
      showLight(document.getElementById("overall-light"), result.overall);
      setText("overall-explanation", result.overall.explanation);
    }
    if (result.total !== undefined) {
      setText("execution-score", result.execution);
      setText("execution-rate", result.rate);
      setText("total", result.total);
      setText("grade", result.grade);
      setText("points-total", result.points_total);
    }
    Object.entries(result.rows).forEach(([pk, row]) => {
      const line = form.querySelector(`tr[data-indicator="${pk}"]`);
      if (!line) return;
      if (row.light !== undefined) {
        showLight(line.querySelector("[data-light]"), row);
        const why = line.querySelector("[data-explanation]");
        if (why) why.textContent = row.explanation;
      } else {
        const score = line.querySelector("[data-score]");
        if (score && !line.querySelector('[name$="-score"]')) score.textContent = row.score || "—";
        const problem = line.querySelector("[data-problem]");
        if (problem) problem.textContent = row.problem;
        const flags = line.querySelector("[data-flags]");
        if (flags) flags.textContent = row.flags.join(" ");
        const cause = line.querySelector('[name$="-cause"]');
        if (cause) cause.classList.toggle("needs-cause", row.lost && !cause.value.trim());
      }
    });
    form.querySelectorAll("[data-live-error]").forEach((element) => element.remove());
    form.querySelectorAll(".is-invalid[data-live]").forEach((field) => {
      field.classList.remove("is-invalid");
      field.removeAttribute("data-live");
    });
    Object.entries(result.errors).forEach(([name, messages]) => {
      const field = form.elements.namedItem(name);
      if (!field || !field.classList) return;
      if (!field.classList.contains("is-invalid")) {
        field.classList.add("is-invalid");
        field.setAttribute("data-live", "");
      }
      if (!field.parentElement.querySelector(`[data-error-for="${name}"]`)) {
        const message = document.createElement("div");
        message.className = "invalid-feedback d-block";
        message.setAttribute("data-live-error", "");
        message.textContent = messages.join(" ");
        field.insertAdjacentElement("afterend", message);
      }
    });
  }

  let timer = null;
  let sequence = 0;
  function refresh() {
    const mine = ++sequence;
    fetch(form.dataset.preview, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((result) => {
        if (result && mine === sequence) show(result);
      })
      .catch(() => {});
  }

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  form.addEventListener("change", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 50);
  });
})();
