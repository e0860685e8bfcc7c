/* The notice editor: a form over the whole source format, validated as you type by the server
   (POST /validate runs the same rules as `thongbao validate`), saved with a version check. */
"use strict";
(function () {
  const boot = JSON.parse(document.getElementById("editor-data").textContent);
  const form = document.getElementById("editor");
  const statusEl = document.getElementById("status");
  const LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split(" ");
  const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
  let version = boot.version;
  let dirty = false;
  let timer = null;
  let lastCheck = 0;

  // ---------- the model, normalised for the form ----------
  const arr = (v) => (v === undefined || v === null || v === "") ? [] : (Array.isArray(v) ? v : [v]);
  const str = (v) => (v === undefined || v === null) ? "" : String(v);
  function normTask(t) {
    if (typeof t === "string") return {text: t, deadline: "", report_to: "", details: []};
    t = t || {};
    return {text: str(t.text), deadline: str(t.deadline), report_to: str(t.report_to), details: arr(t.details).map(str)};
  }
  function normItem(it, withSub) {
    it = it || {};
    const out = {to: arr(it.to).map(str), heading: str(it.heading), text: str(it.text), deadline: str(it.deadline),
      report_to: str(it.report_to), paragraphs: arr(it.paragraphs).map(str), tasks: arr(it.tasks).map(normTask)};
    if (withSub) { out.items = arr(it.items).map((p) => normItem(p, false)); out.numbering = str(it.numbering); }
    return out;
  }
  function normPart(p) {
    p = p || {};
    return {heading: str(p.heading), to: arr(p.to).map(str), numbering: str(p.numbering),
      paragraphs: arr(p.paragraphs).map(str), conclusions: arr(p.conclusions).map((i) => normItem(i, true))};
  }
  const d = boot.data || {};
  const sig = d.signature || {};
  const doc = {
    style: str(d.style) || "party", superior_body: str(d.superior_body), issuing_body: arr(d.issuing_body).map(str),
    body_code: str(d.body_code), number: str(d.number), type_code: str(d.type_code), document_type: str(d.document_type),
    place: str(d.place), date: str(d.date), subject: str(d.subject), opening: arr(d.opening).map(str),
    numbering: str(d.numbering), item_mark: str(d.item_mark),
    body: d.parts ? "parts" : "conclusions",
    conclusions: arr(d.conclusions).map((i) => normItem(i, true)), parts: arr(d.parts).map(normPart),
    footnotes: Object.entries(d.footnotes || {}).map(([label, text]) => ({label, text: str(text)})),
    closing: arr(d.closing).map(str), recipients: arr(d.recipients).map(str),
    signature: {authority: arr(sig.authority).map(str), title: arr(sig.title).map(str), name: str(sig.name)},
    extra: {},
  };
  var KNOWN; // hoisted below

  function serialise() {
    const lines = (a) => a.map((s) => s.trim()).filter((s) => s);
    const task = (t) => ({text: t.text, deadline: t.deadline, report_to: t.report_to, details: t.details});
    const item = (it) => {
      const o = {to: lines(it.to), heading: it.heading, text: it.text, deadline: it.deadline, report_to: it.report_to,
        paragraphs: it.paragraphs, tasks: it.tasks.map(task)};
      if (it.items) { o.items = it.items.map(item); o.numbering = it.numbering; }
      return o;
    };
    const out = Object.assign({}, doc.extra, {
      style: doc.style, superior_body: doc.superior_body, issuing_body: lines(doc.issuing_body), body_code: doc.body_code,
      number: doc.number, type_code: doc.type_code, document_type: doc.document_type, place: doc.place, date: doc.date,
      subject: doc.subject, opening: doc.opening, numbering: doc.numbering, item_mark: doc.item_mark,
      closing: doc.closing, recipients: doc.recipients,
      signature: {authority: lines(doc.signature.authority), title: lines(doc.signature.title), name: doc.signature.name},
    });
    if (doc.body === "parts") {
      out.parts = doc.parts.map((p) => ({heading: p.heading, to: lines(p.to), numbering: p.numbering,
        paragraphs: p.paragraphs, conclusions: p.conclusions.map(item)}));
    } else {
      out.conclusions = doc.conclusions.map(item);
    }
    const notes = {};
    doc.footnotes.forEach((f) => { if (f.label.trim()) notes[f.label.trim()] = f.text; });
    out.footnotes = notes;
    return out;
  }

  // ---------- DOM helpers ----------
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    });
    kids.flat().forEach((k) => { if (k !== null && k !== undefined && k !== false) el.append(k.nodeType ? k : document.createTextNode(k)); });
    return el;
  }
  function changed() {
    dirty = true;
    statusEl.textContent = "Chưa lưu";
    statusEl.className = "status pending";
    clearTimeout(timer);
    timer = setTimeout(check, 450);
  }
  let uid = 0;
  // A labelled input bound to obj[key]; path = where the validator reports it.
  function field(label, obj, key, path, opts) {
    opts = opts || {};
    const id = "f" + (++uid);
    let input;
    if (opts.options) {
      input = h("select", {id, "data-path": path, name: path},
        opts.options.map(([v, t]) => h("option", {value: v, selected: obj[key] === v}, t)));
      input.addEventListener("change", () => { obj[key] = input.value; if (opts.rerender) render(); changed(); });
    } else if (opts.lines) {
      input = h("textarea", {id, rows: Math.max(2, obj[key].length), "data-path": path, name: path, placeholder: opts.placeholder});
      input.value = obj[key].join("\n");
      input.addEventListener("input", () => { obj[key] = input.value.split("\n"); changed(); });
    } else if (opts.area) {
      input = h("textarea", {id, rows: opts.rows || 3, "data-path": path, name: path, placeholder: opts.placeholder, class: "grow"});
      input.value = obj[key];
      input.addEventListener("input", () => { obj[key] = input.value; changed(); });
    } else {
      input = h("input", {id, "data-path": path, name: path, value: obj[key], placeholder: opts.placeholder,
        list: opts.list, class: opts.cls, inputmode: opts.inputmode});
      input.addEventListener("input", () => { obj[key] = input.value; changed(); });
    }
    return h("div", {class: "field " + (opts.wide ? "wide" : "")},
      h("label", {for: id}, label, opts.hint ? h("span", {class: "hint"}, " " + opts.hint) : null), input,
      opts.deadlineFor ? h("span", {class: "deadline-read", "data-deadline-for": opts.deadlineFor}) : null);
  }
  function autosize(ta) { ta.style.height = "auto"; ta.style.height = (ta.scrollHeight + 4) + "px"; }
  form.addEventListener("input", (e) => { if (e.target.matches("textarea.grow")) autosize(e.target); });
  function btn(text, onclick, cls) {
    return h("button", {type: "button", class: cls || "small", onclick: (e) => { e.preventDefault(); onclick(); render(); changed(); }}, text);
  }
  // A list of entries with add / remove / move buttons; each(entry, index) returns the element.
  function list(items, path, each, make, addLabel, cls) {
    const box = h("div", {class: "list-box " + (cls || ""), "data-path": path});
    items.forEach((it, i) => {
      const tools = h("div", {class: "tools"},
        i > 0 ? btn("↑", () => { items.splice(i - 1, 0, items.splice(i, 1)[0]); }, "small ghost") : null,
        i < items.length - 1 ? btn("↓", () => { items.splice(i + 1, 0, items.splice(i, 1)[0]); }, "small ghost") : null,
        btn("Xóa", () => { items.splice(i, 1); }, "small ghost danger"));
      box.append(h("div", {class: "entry"}, each(it, i), tools));
    });
    box.append(btn(addLabel, () => { items.push(make()); }, "small add"));
    return box;
  }
  function texts(label, items, path, opts) {
    opts = opts || {};
    return h("div", {class: "field wide"}, h("div", {class: "label"}, label),
      list(items, path, (t, i) => {
        const holder = {v: t};
        const ta = h("textarea", {rows: opts.rows || 2, "data-path": `${path}[${i}]`, name: `${path}[${i}]`,
          "aria-label": `${label} ${i + 1}`, list: opts.list, class: "grow"});
        if (opts.single) {
          const inp = h("input", {"data-path": `${path}[${i}]`, name: `${path}[${i}]`, value: t, list: opts.list,
            "aria-label": `${label} ${i + 1}`});
          inp.addEventListener("input", () => { items[i] = inp.value; changed(); });
          return inp;
        }
        ta.value = holder.v;
        ta.addEventListener("input", () => { items[i] = ta.value; changed(); });
        return ta;
      }, () => "", opts.add || "+ Thêm"));
  }
  function units(label, obj, path) {
    return h("div", {class: "field wide"}, h("div", {class: "label"}, label, h("span", {class: "hint"}, " gõ vài chữ để chọn trong danh mục")),
      list(obj.to, `${path}.to`, (u, i) => {
        const inp = h("input", {list: "units-list", value: u, "data-path": `${path}.to[${i}]`, name: `${path}.to[${i}]`,
          "aria-label": `${label} ${i + 1}`, class: "unit"});
        inp.addEventListener("input", () => { obj.to[i] = inp.value; changed(); });
        return inp;
      }, () => "", "+ Đơn vị", "inline-list"));
  }
  function taskEditor(t, path) {
    return h("div", {class: "task"},
      field("Nhiệm vụ", t, "text", path, {area: true, rows: 3, wide: true, deadlineFor: path,
        hint: "thời hạn viết đậm: **trước ngày 31/7/2023**"}),
      h("div", {class: "row"},
        field("Thời hạn (nếu nội dung không ghi)", t, "deadline", `${path}.deadline`, {placeholder: "vd. 31/7/2023"}),
        field("Báo cáo qua", t, "report_to", `${path}.report_to`, {list: "units-list"})),
      texts("Các ý (+)", t.details, `${path}.details`, {add: "+ Ý"}));
  }
  function itemEditor(it, path, label, sub) {
    const body = h("fieldset", {class: sub ? "item sub" : "item", "data-path": path},
      h("legend", {}, label),
      units("Giao cho đơn vị", it, path),
      field("Tiêu đề", it, "heading", `${path}.heading`, {wide: true, hint: "để trống: lấy tên các đơn vị"}),
      field("Nội dung (in cùng dòng với số)", it, "text", `${path}.text`, {area: true, wide: true, deadlineFor: `${path}.text`}),
      h("div", {class: "row"},
        field("Thời hạn của nội dung", it, "deadline", `${path}.deadline`, {placeholder: "vd. 31/7/2023"}),
        field("Báo cáo qua", it, "report_to", `${path}.report_to`, {list: "units-list"})),
      texts("Đoạn giải thích (không phải nhiệm vụ)", it.paragraphs, `${path}.paragraphs`, {add: "+ Đoạn"}),
      h("div", {class: "field wide"}, h("div", {class: "label"}, "Nhiệm vụ (-)"),
        list(it.tasks, `${path}.tasks`, (t, k) => taskEditor(t, `${path}.tasks[${k}]`),
          () => normTask(""), "+ Nhiệm vụ")));
    if (!sub) {
      body.append(h("div", {class: "field wide"}, h("div", {class: "label"}, "Các điểm a), b), c)..."),
        list(it.items, `${path}.items`, (p, k) => itemEditor(p, `${path}.items[${k}]`, `Điểm ${LETTERS[k] || k + 1})`, true),
          () => normItem({}, false), "+ Điểm")));
    }
    return body;
  }
  function itemsEditor(items, path) {
    return list(items, path, (it, k) => itemEditor(it, `${path}[${k}]`, `Kết luận ${k + 1}`, false),
      () => normItem({}, true), "+ Kết luận", "items");
  }

  // ---------- the form ----------
  function render() {
    const focusPath = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.path : null;
    form.textContent = "";
    const presets = boot.presets || [];
    const header = h("section", {class: "card", id: "sec-header"}, h("h2", {}, "Phần đầu"),
      presets.length ? h("div", {class: "field"}, h("label", {for: "preset"}, "Điền sẵn cơ quan và người ký"),
        h("select", {id: "preset", onchange: (e) => { applyPreset(presets[e.target.value]); }},
          h("option", {value: ""}, "— chọn —"), presets.map((p, i) => h("option", {value: i}, p.label)))) : null,
      h("div", {class: "row"},
        field("Thể thức", doc, "style", "style", {options: [["party", "Đảng (36-HD/VPTW)"], ["state", "Nhà nước (NĐ 30/2020)"]]}),
        field("Cơ quan cấp trên", doc, "superior_body", "superior_body", {hint: "IN HOA"})),
      field("Cơ quan ban hành", doc, "issuing_body", "issuing_body", {lines: true, wide: true, hint: "IN HOA, mỗi dòng một dòng in"}),
      h("div", {class: "row"},
        field("Số", doc, "number", "number", {placeholder: "để trống: cấp khi ban hành", inputmode: "numeric"}),
        field("Ký hiệu loại", doc, "type_code", "type_code", {placeholder: "TB"}),
        field("Ký hiệu cơ quan", doc, "body_code", "body_code", {placeholder: "vd. BCĐ"})),
      h("div", {class: "row"},
        field("Địa danh", doc, "place", "place"),
        field("Ngày ban hành", doc, "date", "date", {placeholder: "ngày/tháng/năm", cls: "date"}),
        field("Tên loại văn bản", doc, "document_type", "document_type", {placeholder: "THÔNG BÁO"})),
      field("Trích yếu", doc, "subject", "subject", {area: true, rows: 2, wide: true}));
    const opening = h("section", {class: "card", id: "sec-opening"}, h("h2", {}, "Phần mở đầu"),
      texts("Đoạn mở đầu", doc.opening, "opening", {rows: 3, add: "+ Đoạn"}));
    const bodySec = h("section", {class: "card", id: "sec-body"}, h("h2", {}, "Nội dung kết luận"),
      h("div", {class: "row"},
        field("Cách trình bày", doc, "body", "body", {options: [["conclusions", "Các kết luận 1., 2., 3."], ["parts", "Chia phần I., II., III."]], rerender: true}),
        field("Dấu sau số", doc, "item_mark", "item_mark", {options: [["", "1. (mặc định)"], ["-", "1-"]]}),
        field("Đánh số", doc, "numbering", "numbering", {options: [["", "có (mặc định)"], ["none", "không đánh số"]]})),
      doc.body === "parts"
        ? list(doc.parts, "parts", (p, k) => h("fieldset", {class: "part", "data-path": `parts[${k}]`},
            h("legend", {}, `Phần ${ROMAN[k] || k + 1}`),
            field("Tiêu đề phần", p, "heading", `parts[${k}].heading`, {wide: true, hint: "IN HOA"}),
            units("Giao cho đơn vị (cả phần)", p, `parts[${k}]`),
            texts("Đoạn đánh giá", p.paragraphs, `parts[${k}].paragraphs`, {add: "+ Đoạn"}),
            h("div", {class: "field wide"}, h("div", {class: "label"}, "Các kết luận của phần"),
              itemsEditor(p.conclusions, `parts[${k}].conclusions`))),
          () => normPart({}), "+ Phần")
        : itemsEditor(doc.conclusions, "conclusions"));
    const notes = h("section", {class: "card", id: "sec-footnotes"}, h("h2", {}, "Chú thích"),
      h("p", {class: "hint"}, "Trong nội dung, ghi [^1] ở chỗ cần chú thích; ở đây ghi chú thích số 1."),
      list(doc.footnotes, "footnotes", (f, i) => h("div", {class: "row"},
        field("Nhãn", f, "label", `footnotes.${f.label}#label`, {placeholder: "1", cls: "short"}),
        field("Nội dung chú thích", f, "text", `footnotes.${f.label}`, {area: true, rows: 2, wide: true})),
        () => ({label: String(doc.footnotes.length + 1), text: ""}), "+ Chú thích"));
    const closing = h("section", {class: "card", id: "sec-closing"}, h("h2", {}, "Phần kết"),
      texts("Đoạn kết", doc.closing, "closing", {add: "+ Đoạn"}));
    const recip = h("section", {class: "card", id: "sec-recipients"}, h("h2", {}, "Nơi nhận"),
      h("p", {}, btn("Đề xuất từ các đơn vị được giao và dòng lưu", proposeRecipients, "small")),
      texts("Nơi nhận", doc.recipients, "recipients", {single: true, list: "units-list", add: "+ Nơi nhận"}));
    const sign = h("section", {class: "card", id: "sec-signature"}, h("h2", {}, "Chữ ký"),
      field("Thẩm quyền ký", doc.signature, "authority", "signature.authority",
        {lines: true, wide: true, hint: doc.style === "state" ? "vd. KT. CHỦ TỊCH; mỗi dòng một dòng" : "vd. K/T TRƯỞNG BAN; mỗi dòng một dòng"}),
      field("Chức vụ người ký", doc.signature, "title", "signature.title", {lines: true, wide: true, hint: "mỗi dòng một dòng in"}),
      field("Họ tên người ký", doc.signature, "name", "signature.name"));
    form.append(header, opening, bodySec, notes, closing, recip, sign);
    form.querySelectorAll("textarea.grow").forEach(autosize);
    if (focusPath) { const el = form.querySelector(`[data-path="${CSS.escape(focusPath)}"]`); if (el && el.focus) el.focus(); }
    if (lastResult) show(lastResult);
  }

  function applyPreset(p) {
    if (!p) return;
    ["style", "superior_body", "body_code", "place"].forEach((k) => { if (p[k] !== undefined) doc[k] = p[k]; });
    doc.issuing_body = arr(p.issuing_body);
    if (p.signature) doc.signature = {authority: arr(p.signature.authority), title: arr(p.signature.title), name: p.signature.name || ""};
    render(); changed();
  }
  function proposeRecipients() {
    const seen = new Set();
    const out = [];
    const add = (u) => { const k = u.trim(); if (k && !seen.has(k.toLowerCase())) { seen.add(k.toLowerCase()); out.push(k); } };
    const walk = (it) => { it.to.forEach(add); (it.items || []).forEach(walk); };
    if (doc.body === "parts") doc.parts.forEach((p) => { p.to.forEach(add); p.conclusions.forEach(walk); });
    else doc.conclusions.forEach(walk);
    const profile = boot.profiles[doc.style] || {};
    out.push(profile.file_copy || "Lưu VT");
    doc.recipients.splice(0, doc.recipients.length, ...out);
  }

  // ---------- validation as you type ----------
  let lastResult = boot.check;
  function target(path) {
    let p = path;
    while (p) {
      const el = form.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (el) return el;
      const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
      p = cut > 0 ? p.slice(0, cut) : "";
    }
    return null;
  }
  function show(result) {
    lastResult = result;
    form.querySelectorAll(".msg").forEach((m) => m.remove());
    form.querySelectorAll(".invalid").forEach((m) => { m.classList.remove("invalid"); m.removeAttribute("aria-invalid"); });
    (result.problems || []).forEach((p) => {
      const el = target(p.path);
      if (!el) return;
      el.classList.add("invalid");
      el.setAttribute("aria-invalid", "true");
      const msg = h("div", {class: "msg error", "data-msg-for": el.dataset.path, role: "alert"}, p.message);
      if (el.matches("input, textarea, select")) el.after(msg); else el.prepend(msg);
    });
    (result.warnings || []).forEach((p) => {
      const el = target(p.path);
      const msg = h("div", {class: "msg warning", "data-msg-for": el ? el.dataset.path : ""}, "Lưu ý: " + p.message);
      if (el && el.matches("input, textarea, select")) el.after(msg); else if (el) el.prepend(msg);
    });
    form.querySelectorAll("[data-deadline-for]").forEach((s) => {
      const v = (result.deadlines || {})[s.dataset.deadlineFor];
      s.textContent = v ? "Thời hạn đọc được: " + v : "";
    });
    showNotes();
    const summary = document.getElementById("summary");
    summary.textContent = "";
    const n = (result.problems || []).length;
    summary.className = "summary " + (n ? "bad" : "good");
    summary.append(n ? `Còn ${n} lỗi cần sửa trước khi ban hành:` : (result.summary || "Hợp lệ."));
    if (n) {
      // Every finding, each a link to its field (those without a field are said here only).
      summary.append(h("ul", {}, (result.problems || []).map((p) => {
        const el = target(p.path);
        const text = `${p.place}: ${p.message}`;
        if (!el) return h("li", {}, text);
        return h("li", {}, h("a", {href: "#", onclick: (e) => { e.preventDefault(); el.scrollIntoView({block: "center"});
          if (el.focus) el.focus(); }}, text));
      })));
    }
  }
  // ---------- the importer's notes (a Word draft): what the machine guessed, what to check ----------
  let notes = boot.notes || [];
  const struck = new Set();
  function jump(el) {
    return (e) => { e.preventDefault(); el.scrollIntoView({block: "center"}); if (el.focus) el.focus(); };
  }
  function strike(id) { struck.add(id); changed(); showNotes(); }
  function showNotes() {
    form.querySelectorAll(".msg.note").forEach((m) => m.remove());
    const open = notes.filter((n) => !struck.has(n.id));
    open.forEach((n) => {
      const el = target(n.path);
      if (!el) return;
      const msg = h("div", {class: "msg note " + n.kind.toLowerCase(), "data-note": n.id, "data-msg-for": el.dataset.path},
        h("b", {}, n.label + ": "), n.message, " ",
        h("button", {type: "button", class: "small", title: "Đã xem và sửa nếu cần: bỏ ghi chú này khi lưu",
          onclick: (e) => { e.preventDefault(); strike(n.id); }}, "Đã xem"));
      if (el.matches("input, textarea, select")) el.after(msg); else el.prepend(msg);
    });
    const box = document.getElementById("notes");
    box.textContent = "";
    box.hidden = !open.length;
    if (!open.length) return;
    const guessed = open.filter((n) => n.kind === "ASSUMED").length;
    const kinds = [guessed ? `${guessed} giá trị máy tự đoán` : "",
      open.length - guessed ? `${open.length - guessed} chỗ cần kiểm tra` : ""].filter((t) => t).join(", ");
    box.append(`Văn bản nhập từ bản Word: còn ${open.length} ghi chú của máy (${kinds}). Xem từng chỗ, sửa nếu cần `
      + "rồi bấm “Đã xem”; ghi chú được bỏ khi lưu.");
    box.append(h("ul", {}, open.map((n) => {
      const el = target(n.path);
      const text = `${n.place} — ${n.label}: ${n.message}`;
      return h("li", {class: n.kind.toLowerCase()}, el ? h("a", {href: "#", onclick: jump(el)}, text) : text);
    })));
  }

  async function check() {
    const mine = ++lastCheck;
    const result = await TB.post(boot.urls.validate, {id: boot.rel, data: serialise()});
    if (mine !== lastCheck) return;   // a newer check is on its way
    if (result.error) { statusEl.textContent = result.error; return; }
    show(result);
  }

  // ---------- save, preview ----------
  async function save() {
    clearTimeout(timer);
    statusEl.textContent = "Đang lưu...";
    const result = await TB.post(boot.urls.save, {data: serialise(), version, struck: [...struck]});
    if (result.httpStatus === 409 || result.error) {
      statusEl.textContent = result.error || "Không lưu được.";
      statusEl.className = "status bad";
      return false;
    }
    version = result.version;
    dirty = false;
    notes = result.notes || [];
    struck.clear();
    statusEl.textContent = "Đã lưu " + new Date().toLocaleTimeString("vi-VN");
    statusEl.className = "status good";
    show(result);
    return true;
  }
  async function preview() {
    if (dirty && !(await save())) return;
    const panel = document.getElementById("preview-panel");
    const box = document.getElementById("preview-progress");
    const pages = document.getElementById("preview-pages");
    const findings = document.getElementById("preview-findings");
    panel.hidden = false;
    pages.textContent = ""; findings.textContent = "";
    const job = await TB.post(boot.urls.preview, {});
    if (!job.id) { TB.showProgress(box, {error: job.error || "Không xem trước được.", state: "lỗi"}); return; }
    const done = await TB.poll(boot.urls.jobs.replace("JOB", job.id), (j) => TB.showProgress(box, j));
    if (done.state !== "xong") return;
    box.querySelector("span").textContent = `Xong sau ${Number(done.seconds).toLocaleString("vi-VN", {maximumFractionDigits: 1})} giây: ${done.pages.length} trang.`;
    const items = (done.findings || []).map((f) => h("li", {class: "bad"}, "Thể thức: " + f))
      .concat((done.warnings || []).map((w) => h("li", {class: "warn"}, "Lưu ý: " + w)));
    if (!items.length) items.push(h("li", {class: "good"}, "Kiểm tra thể thức: đạt."));
    findings.append(...items);
    done.pages.forEach((src, i) => pages.append(h("figure", {}, h("img", {src, alt: `Trang ${i + 1}`}), h("figcaption", {}, `Trang ${i + 1}`))));
    pages.append(h("p", {}, h("a", {href: done.pdf, target: "_blank"}, "Mở bản PDF")));
    panel.scrollIntoView({behavior: "smooth"});
  }
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("preview-btn").addEventListener("click", preview);
  document.addEventListener("keydown", (e) => { if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); } });
  window.addEventListener("beforeunload", (e) => { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
  document.getElementById("to-issue").addEventListener("click", async (e) => {
    if (dirty) { e.preventDefault(); if (await save()) window.location = e.target.href; }
  });

  KNOWN = new Set(["style", "superior_body", "issuing_body", "body_code", "number", "type_code", "document_type", "place",
    "date", "subject", "opening", "numbering", "item_mark", "conclusions", "parts", "footnotes", "closing", "recipients", "signature"]);
  doc.extra = Object.fromEntries(Object.entries(d).filter(([k]) => !KNOWN.has(k)));
  render();
  show(boot.check);
  window.TBEditor = {doc, serialise, check, save};
})();
