/* Results of background jobs on the preview, issue and document pages. */
"use strict";
document.addEventListener("jobdone", (ev) => {
  const job = ev.detail;
  const form = ev.target;
  if (job.state !== "xong") return;
  if (job.pages) {
    const pages = document.getElementById("preview-pages");
    const findings = document.getElementById("preview-findings");
    pages.textContent = ""; findings.textContent = "";
    (job.findings || []).forEach((f) => { const li = document.createElement("li"); li.className = "bad"; li.textContent = "Thể thức: " + f; findings.append(li); });
    if (!(job.findings || []).length) { const li = document.createElement("li"); li.className = "good"; li.textContent = "Kiểm tra thể thức: đạt."; findings.append(li); }
    job.pages.forEach((src, i) => { const img = document.createElement("img"); img.src = src; img.alt = "Trang " + (i + 1); pages.append(img); });
  } else if (job.kind === "issue") {
    const out = document.getElementById("issue-result");
    out.textContent = "";
    const p = document.createElement("p");
    p.className = "good";
    p.textContent = job.status === "unchanged"
      ? `${job.symbol}: không thay đổi so với phiên bản ${job.version}; không lưu thêm.`
      : `Đã ban hành ${job.symbol}, phiên bản ${job.version}.`;
    out.append(p);
    if (job.status !== "unchanged") form.hidden = true;   // issued: nothing more to do on this page
    if (job.document) { const a = document.createElement("a"); a.href = job.document; a.id = "to-document"; a.className = "button primary"; a.textContent = "Xem văn bản và tải về"; out.append(a); }
  } else if (job.download) {
    window.location = job.download;
  }
});
