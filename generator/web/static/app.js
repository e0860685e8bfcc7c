/* thongbao serve: what every page shares — the CSRF token for fetch, background jobs with progress. */
"use strict";
const TB = (function () {
  const token = () => document.querySelector('meta[name="csrf-token"]').content;

  async function post(url, body, isJson) {
    const headers = {"X-CSRF-Token": token()};
    let payload = body;
    if (isJson !== false) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body || {}); }
    const res = await fetch(url, {method: "POST", headers, body: payload, credentials: "same-origin"});
    let data = null;
    try { data = await res.json(); } catch (e) { data = {ok: false, error: "Máy chủ trả lời không đúng dạng."}; }
    data.httpStatus = res.status;
    return data;
  }

  function poll(url, onUpdate) {
    return new Promise((resolve) => {
      const tick = async () => {
        let job;
        try {
          const res = await fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}});
          job = await res.json();
        } catch (e) { job = {done: true, state: "lỗi", error: "Mất kết nối với máy chủ."}; }
        onUpdate(job);
        if (job.done || job.error) resolve(job); else setTimeout(tick, 400);
      };
      tick();
    });
  }

  function showProgress(box, job) {
    if (!box) return;
    box.hidden = false;
    box.querySelector("div").style.width = Math.round((job.fraction || 0) * 100) + "%";
    box.querySelector("span").textContent = job.error ? job.error : job.text;
    box.classList.toggle("failed", job.state === "lỗi");
  }

  // Forms marked data-job run as background jobs: progress, then a result link.
  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (!form.matches("form[data-job]")) return;
    ev.preventDefault();
    const box = document.getElementById(form.dataset.progress);
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    const job = await post(form.action, new FormData(form), false);
    if (job.error && !job.id) { showProgress(box, {fraction: 0, error: job.error, state: "lỗi"}); if (button) button.disabled = false; return; }
    const done = await poll(form.dataset.jobs.replace("JOB", job.id), (j) => showProgress(box, j));
    if (button) button.disabled = false;
    form.dispatchEvent(new CustomEvent("jobdone", {detail: done, bubbles: true}));
  });

  // A plain form that takes a while (an upload read by the importer): say so, and no second submit.
  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (!form.matches("form[data-busy]")) return;
    const button = form.querySelector("button");
    if (button) { button.disabled = true; button.textContent = form.dataset.busy; }
  });

  // A file input shown as a Vietnamese button: the chosen file's name beside it (the browser's own says English).
  document.addEventListener("change", (ev) => {
    const input = ev.target;
    if (!input.matches("input[type=file][data-name-in]")) return;
    const shown = document.getElementById(input.dataset.nameIn);
    if (shown) shown.textContent = input.files.length ? input.files[0].name : "Chưa chọn tệp nào";
  });

  return {post, poll, showProgress, token};
})();
