/* The declaration wizard in the browser: formset rows added, removed and reordered without a
   reload; dependent level-1/level-2 selects; fields that adapt to 定量/定性; a running weight
   total; the indicator library offered while a level-3 name is typed; and a server message
   taken away once its field is changed. The server checks
   everything again; this only saves the clerk a round trip. A value is checked with the
   grammar the server hands over ("value-grammar"), so both accept exactly the same values. */
(function () {
  "use strict";

  const taxonomyElement = document.getElementById("taxonomy-data");
  const taxonomy = taxonomyElement ? JSON.parse(taxonomyElement.textContent) : [];
  const grammarElement = document.getElementById("value-grammar");
  const grammar = grammarElement ? JSON.parse(grammarElement.textContent) : null;
  const valuePattern = grammar ? new RegExp(grammar.pattern, grammar.flags) : null;
  const spaceRuns = grammar ? new RegExp(`[${grammar.space}]+`, "gu") : null;
  const outerSpace = grammar ? new RegExp(`^[${grammar.space}]+|[${grammar.space}]+$`, "gu") : null;

  // A value is a number when the server's pattern matches it tidied as the server tidies it
  // (each run of spaces one space, none at either end). An empty value is left to the server.
  function isNumberOrEmpty(raw) {
    const tidy = raw.replace(spaceRuns, " ").replace(/^ | $/g, "");
    return tidy === "" || valuePattern.test(tidy);
  }

  function field(row, name) {
    return row.querySelector(`[name$="-${name}"]`);
  }

  function visibleRows(list) {
    return Array.from(list.querySelectorAll(":scope > [data-row]")).filter(
      (row) => !row.classList.contains("removed")
    );
  }

  function initFormset(container) {
    const prefix = container.dataset.formset;
    const total = container.querySelector(`[name="${prefix}-TOTAL_FORMS"]`);
    const list = container.querySelector("[data-formset-list]");
    const template = container.querySelector("template");
    const addButton = container.querySelector("[data-formset-add]");

    function renumber() {
      visibleRows(list).forEach((row, index) => {
        const order = row.querySelector("[data-order]");
        if (order) order.value = index + 1;
        const number = row.querySelector("[data-number]");
        if (number) number.textContent = index + 1;
      });
      updateWeights();
    }

    list.querySelectorAll(":scope > [data-row]").forEach((row) => {
      const remove = row.querySelector("[data-delete]");
      if (remove && remove.checked) row.classList.add("removed");
      setupRow(row);
    });

    addButton.addEventListener("click", () => {
      const index = parseInt(total.value, 10);
      list.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
      total.value = index + 1;
      const row = list.lastElementChild;
      setupRow(row);
      renumber();
      const first = row.querySelector("input:not([type=hidden]):not(.d-none), select, textarea");
      if (first) first.focus();
    });

    list.addEventListener("click", (event) => {
      const row = event.target.closest("[data-row]");
      if (!row) return;
      if (event.target.closest("[data-remove]")) {
        row.querySelector("[data-delete]").checked = true;
        row.classList.add("removed");
        renumber();
      } else if (event.target.closest("[data-up]")) {
        const rows = visibleRows(list);
        const index = rows.indexOf(row);
        if (index > 0) list.insertBefore(row, rows[index - 1]);
        renumber();
      } else if (event.target.closest("[data-down]")) {
        const rows = visibleRows(list);
        const index = rows.indexOf(row);
        if (index < rows.length - 1) list.insertBefore(rows[index + 1], row);
        renumber();
      }
    });
    renumber();
  }

  function setupRow(row) {
    if (!row.hasAttribute("data-indicator")) return;
    const level1 = field(row, "level1");
    const level2 = field(row, "level2");
    const kind = field(row, "kind");
    if (level1 && level2) {
      level1.addEventListener("change", () => fillLevel2(level1, level2, ""));
      fillLevel2(level1, level2, level2.value);
    }
    if (kind) {
      kind.addEventListener("change", () => adaptToKind(row, true));
      adaptToKind(row, false);
    }
    const value = field(row, "value");
    if (value) value.addEventListener("input", () => checkValue(row, true));
    const weight = field(row, "weight");
    if (weight) weight.addEventListener("input", updateWeights);
    const name = field(row, "name");
    if (name) setupLibrary(row, name);
  }

  function fillLevel2(level1, level2, keep) {
    const parent = parseInt(level1.value, 10);
    const options = taxonomy.filter((c) => c.level === 2 && c.parent === parent);
    level2.innerHTML = '<option value="">—</option>';
    options.forEach((c) => {
      const option = new Option(c.name, c.id, false, String(c.id) === String(keep));
      level2.add(option);
    });
    level2.disabled = !level1.value;
  }

  function adaptToKind(row, changed) {
    const qualitative = field(row, "kind").value === "qualitative";
    const operator = field(row, "operator");
    const unit = field(row, "unit");
    const value = field(row, "value");
    [operator, unit].forEach((input) => {
      if (!input) return;
      input.disabled = qualitative;
      if (qualitative) input.value = "";
    });
    if (value) {
      value.placeholder = qualitative ? "文字目标，如：及时、有效提升（建议写明程度）" : "数字，如 45 或 ≥45场次";
      value.inputMode = qualitative ? "text" : "decimal";
    }
    checkValue(row, changed);
  }

  // What is wrong with a value is said once: by the server after a refused step (until the
  // clerk changes the value, which makes that message out of date), else by this check, in
  // the server's words.
  function checkValue(row, changed) {
    const value = field(row, "value");
    if (!value || !valuePattern) return;
    const said = value.parentElement.querySelectorAll(".invalid-feedback");
    if (!changed && said.length) {
      value.classList.add("is-invalid");
      return;
    }
    said.forEach((message) => message.remove());
    const quantitative = field(row, "kind").value === "quantitative";
    const wrong = quantitative && !isNumberOrEmpty(value.value);
    value.classList.toggle("is-invalid", wrong);
    if (wrong) {
      const message = document.createElement("div");
      message.className = "invalid-feedback d-block";
      const text = value.value.replace(outerSpace, "");
      message.textContent = grammar.not_a_number.replace("{text}", text);
      value.after(message);
    }
  }

  function updateWeights() {
    const output = document.getElementById("weight-total");
    if (!output) return;
    const list = document.querySelector("[data-indicator]")?.parentElement;
    const rows = list ? visibleRows(list) : [];
    let sum = 0;
    let given = 0;
    rows.forEach((row) => {
      const weight = field(row, "weight");
      const number = parseFloat(weight && weight.value);
      if (!Number.isNaN(number)) {
        sum += number;
        given += 1;
      }
    });
    const target = output.dataset.target ? parseFloat(output.dataset.target) : null;
    const shown = Math.round(sum * 100) / 100;
    if (target === null) {
      output.textContent = `权重合计：${shown}`;
      output.className = "weight-total fw-semibold";
      return;
    }
    const required = output.dataset.required === "1";
    const ok = (given === 0 && !required) || Math.abs(sum - target) < 1e-9;
    const gap = Math.round((target - sum) * 100) / 100;
    const hint = gap > 0 ? `（还差 ${gap}）` : `（超出 ${-gap}）`;
    output.textContent = `权重合计：${shown} / ${target}` + (ok ? "" : hint);
    output.className = "weight-total fw-semibold " + (ok ? "ok" : "bad");
  }

  // What the history says of a suggestion, so that a target is set from it rather than
  // guessed: how often approved declarations used it, the targets they set and the actuals
  // their self-evaluations reached, in the suggestion's operator and unit.
  function historyText(item) {
    const history = item.history;
    if (!history) {
      if (item.source === "own") return "本单位的申报表（尚未审核通过）";
      if (item.source === "sample") return "样表";
      return "";
    }
    const years = history.first_year === history.last_year
      ? `${history.first_year} 年`
      : `${history.first_year}—${history.last_year} 年`;
    const measure = [item.operator, item.unit].filter(Boolean).join("，");
    const range = (figures) =>
      `最低 ${figures.min} / 中位 ${figures.median} / 最高 ${figures.max}`;
    return [
      `已被使用 ${history.uses} 次（${years}）`,
      history.targets && `历年目标值${measure ? `（${measure}）` : ""} ${range(history.targets)}`,
      history.actuals && `实际完成 ${range(history.actuals)}（${history.actuals.count} 个）`,
    ].filter(Boolean).join(" · ");
  }

  function setupLibrary(row, input) {
    const container = row.closest("[data-library-url]");
    if (!container) return;
    const url = container.dataset.libraryUrl;
    let menu = null;
    let timer = null;
    let last = "";

    function close() {
      if (menu) menu.remove();
      menu = null;
    }

    function take(item) {
      input.value = item.name;
      const level1 = field(row, "level1");
      const level2 = field(row, "level2");
      if (level1 && item.level1) {
        level1.value = item.level1;
        fillLevel2(level1, level2, item.level2 || "");
      }
      const kind = field(row, "kind");
      if (kind && item.kind) kind.value = item.kind;
      adaptToKind(row, true);
      if (item.kind === "quantitative") {
        if (item.unit) field(row, "unit").value = item.unit;
        if (item.operator) field(row, "operator").value = item.operator;
      }
      close();
      field(row, "value").focus();
    }

    input.setAttribute("autocomplete", "off");
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const query = input.value.trim();
      if (!query || query === last) {
        if (!query) close();
        return;
      }
      timer = setTimeout(async () => {
        last = query;
        const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) return;
        const { results } = await response.json();
        close();
        if (!results.length) return;
        menu = document.createElement("div");
        menu.className = "list-group library-menu shadow";
        menu.setAttribute("role", "listbox");
        results.forEach((item) => {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "list-group-item list-group-item-action small";
          button.dataset.libraryItem = "";
          // Named as the level-1 select names an indicator without level 1 (未分类).
          const level1 = field(row, "level1");
          const unclassified = level1 ? level1.options[0].text : "";
          const levels = [item.level1_name || unclassified, item.level2_name]
            .filter(Boolean).join(" / ");
          button.innerHTML = "<div class=\"fw-semibold\"></div><div class=\"text-muted\"></div>";
          button.firstChild.textContent = item.name;
          button.lastChild.textContent = [levels, item.example && `例：${item.example}`]
            .filter(Boolean).join(" · ");
          const told = historyText(item);
          if (told) {
            const line = document.createElement("div");
            line.className = "library-history text-primary-emphasis";
            line.dataset.libraryHistory = "";
            line.textContent = told;
            button.append(line);
          }
          button.addEventListener("mousedown", (event) => {
            event.preventDefault();
            take(item);
          });
          menu.append(button);
        });
        input.parentElement.append(menu);
      }, 200);
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
  }

  // A message the server put at a field is out of date once the clerk changes that field:
  // its red outline and message go, so that what is still shown is still true. (An
  // indicator's value is checked again as it is typed, by checkValue.)
  function clearWhenEdited(event) {
    const input = event.target;
    if (!input.classList || !input.classList.contains("is-invalid")) return;
    if (input.closest("[data-indicator]") && input.matches('[name$="-value"]')) return;
    input.classList.remove("is-invalid");
    input.removeAttribute("aria-invalid");
    input.parentElement.querySelectorAll(".invalid-feedback").forEach((message) => message.remove());
  }

  const wizardForm = document.getElementById("wizard-form");
  if (wizardForm) {
    wizardForm.addEventListener("input", clearWhenEdited);
    wizardForm.addEventListener("change", clearWhenEdited);
  }
  document.querySelectorAll("[data-formset]").forEach(initFormset);
})();
