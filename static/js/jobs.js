// The progress page of a background job: asks the server for the job's state every second
// until it has finished, and shows it (count, bar, time left, error, download link).
(function () {
  "use strict";
  const box = document.getElementById("job");
  if (!box) return;
  const bar = document.getElementById("job-bar");
  const show = (state) => {
    document.getElementById("job-state").textContent = state.state_label;
    document.getElementById("job-count").textContent = `${state.done} / ${state.total}`;
    document.getElementById("job-progress").setAttribute("aria-valuenow", state.percent);
    bar.style.width = `${state.percent}%`;
    bar.textContent = `${state.percent}%`;
    bar.classList.toggle("progress-bar-animated", !state.finished);
    bar.classList.toggle("progress-bar-striped", !state.finished);
    bar.classList.toggle("bg-danger", state.state === "failed");
    document.getElementById("job-eta").textContent = state.eta ? `预计还需 ${state.eta}` : "";
    const error = document.getElementById("job-error");
    error.textContent = state.error;
    error.classList.toggle("d-none", !state.error);
    const leave = document.getElementById("job-leave");
    if (leave && state.finished) leave.remove();
    if (state.download) {
      document.getElementById("job-download").href = state.download;
      document.getElementById("job-expires").textContent = state.expires_at;
      document.getElementById("job-ready").classList.remove("d-none");
    }
  };
  bar.style.width = `${bar.dataset.percent}%`;
  if (box.dataset.finished === "1") return;
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        show(state);
        if (state.finished) return;
      }
    } catch (error) {
      // A dropped connection: try again at the next tick.
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
})();
