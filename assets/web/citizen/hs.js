// The applicant's dossier page. With the receipt's link (/hs/{code}?k=)
// it shows the dossier at once; otherwise the form asks for the code and
// the last 4 digits of the phone, and the same key (k or phone4) is
// kept in memory only, for the rating. Everything the server sends is
// written as text, never as markup. Dates are the office's, whatever the
// phone's time zone.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, $ } = Luot;
  const tzMeta = document.querySelector('meta[name="luot-tz"]');
  const tz = (tzMeta && tzMeta.content) || "Asia/Ho_Chi_Minh";
  const SHAPE = /^[A-Z0-9]{2,10}-[0-9]{6}-[0-9]{4,6}$/;
  const normal = (s) => String(s || "").toUpperCase().replace(/\s+/g, "");
  const pathCode = normal(decodeURIComponent(location.pathname.split("/")[2] || ""));
  const k = new URLSearchParams(location.search).get("k") || "";
  let code = "";
  let cred = null; // {k} or {phone4}: what the server asked for this dossier
  let last = null;

  const STATUS = {
    submitted: ["Mới đăng ký", "Submitted"],
    received: ["Đã tiếp nhận", "Received"],
    refused: ["Không được tiếp nhận", "Not accepted"],
    processing: ["Đang xử lý", "Being processed"],
    needs_supplement: ["Cần bổ sung giấy tờ", "More papers needed"],
    awaiting_payment: ["Chờ thực hiện nghĩa vụ tài chính", "Awaiting payment of fees"],
    withdrawn: ["Đã rút hồ sơ", "Withdrawn"],
    suspended: ["Dừng xử lý", "Processing stopped"],
    completed: ["Đã có kết quả", "Result ready"],
    returned: ["Đã trả kết quả", "Result handed over"],
  };
  const OPEN = ["submitted", "received", "processing", "needs_supplement", "awaiting_payment", "suspended"];
  const status = (s) => (STATUS[s] ? t(STATUS[s][0], STATUS[s][1]) : String(s || ""));
  const badgeClass = (s) => (OPEN.includes(s) ? "open" : s === "completed" ? "ready" : "closed");

  // EVENT names a timeline entry; {dept} is the department's name.
  const EVENT = {
    receive: ["Bộ phận Một cửa đã tiếp nhận hồ sơ", "The one-stop shop received the dossier"],
    refuse: ["Hồ sơ không được tiếp nhận", "The dossier was not accepted"],
    process: ["Chuyển {dept} xử lý", "Passed to {dept}"],
    transfer: ["Chuyển tiếp {dept} xử lý", "Transferred to {dept}"],
    supplement: ["Yêu cầu bổ sung giấy tờ", "More papers were asked for"],
    supplied: ["Đã nhận giấy tờ bổ sung", "The papers were received"],
    payment: ["Chờ thực hiện nghĩa vụ tài chính", "Fees to be paid"],
    paid: ["Đã thực hiện nghĩa vụ tài chính", "Fees paid"],
    suspend: ["Dừng xử lý", "Processing stopped"],
    resume: ["Tiếp tục xử lý", "Processing resumed"],
    withdraw: ["Hồ sơ được rút theo đề nghị của công dân", "Withdrawn at the applicant's request"],
    complete: ["Đã có kết quả", "The result is ready"],
    apologize: ["Cơ quan xin lỗi và hẹn lại ngày trả kết quả", "The office apologised and set a new date"],
    pickup: ["Đã lấy số nhận kết quả", "A number was taken to collect the result"],
    return: ["Đã trả kết quả", "The result was handed over"],
    rate: ["Đã đánh giá", "Rated"],
    note: ["Ghi chú của cơ quan", "A note from the office"],
  };
  const CREATED = {
    submitted: ["Đã nộp hồ sơ trực tuyến", "Submitted online"],
    refused: ["Hồ sơ không được tiếp nhận", "The dossier was not accepted"],
  };
  function eventText(ev) {
    const type = String(ev.type || "").replace(/^dossier\./, "");
    const e = type === "created" ? CREATED[ev.status] || EVENT.receive : EVENT[type];
    const text = e ? t(e[0], e[1]) : status(ev.status);
    return text.replace("{dept}", department(ev.department) || t("phòng chuyên môn", "the department"));
  }

  // The timeline names departments in Vietnamese; the office's public
  // catalogue gives their English names.
  let departments = [];
  const department = (name) => {
    const d = departments.find((x) => x.name === name);
    return d ? t(d.name, d.name_en || d.name) : name || "";
  };
  async function catalogue() {
    const office = document.querySelector('meta[name="luot-office"]').content;
    try {
      const c = await Luot.api("GET", "/offices/" + encodeURIComponent(office) + "/dossier-catalogue");
      departments = (c && c.departments) || [];
    } catch (e) {
      departments = []; // the names stay in Vietnamese
    }
  }

  // local reads a moment as the office's calendar day and clock, in the
  // office's zone (the server's calendar's); with a zone this browser
  // does not know, as the server wrote it (it writes the office's offset).
  const fmt = (() => {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    } catch (e) {
      return null;
    }
  })();
  function local(iso) {
    const ms = iso ? Date.parse(iso) : NaN;
    if (isNaN(ms)) return null;
    if (!fmt) {
      const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(iso);
      return m ? { day: m[1], hm: m[2] } : null;
    }
    const p = {};
    for (const x of fmt.formatToParts(new Date(ms))) p[x.type] = x.value;
    return { day: p.year + "-" + p.month + "-" + p.day, hm: p.hour + ":" + p.minute };
  }
  function dayBefore(day) {
    const [y, m, d] = day.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  }
  // when writes a moment: "14:05, Thứ Sáu, 27/11/2026".
  function when(iso) {
    const p = local(iso);
    return p ? p.hm + ", " + Luot.dateText(p.day) : "";
  }
  // due writes a due date: the end of a day (24:00, which is 00:00 of
  // the next, or 23:59) is that day alone, "Thứ Hai, 30/11/2026"; any
  // other time keeps its hour.
  function due(iso) {
    const p = local(iso);
    if (!p) return "";
    if (p.hm === "00:00") return Luot.dateText(dayBefore(p.day));
    if (p.hm === "23:59") return Luot.dateText(p.day);
    return when(iso);
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fact(id, text) {
    const box = $("#" + id);
    box.hidden = !text;
    box.querySelector("dd").textContent = text || "";
  }

  // The answer's dossier, read the same whichever names the server uses
  // for the procedure's and the applicant's.
  function view(j) {
    const d = Object.assign({}, j.dossier || j);
    const req = d.supplement_request || {};
    d.supWhat = req.what || d.supplement || "";
    d.supBy = req.by || "";
    d.procVi = d.procedure_name || d.procedure || "";
    d.procEn = d.procedure_name_en || d.procedure_en || d.procVi;
    d.who = d.name || d.applicant_name || (d.applicant && d.applicant.name) || "";
    d.newDue = d.new_due || (d.apology && d.apology.new_due) || "";
    d.resultText = d.result || d.result_note || "";
    return d;
  }

  function render(j) {
    last = j;
    const d = view(j);
    const open = OPEN.includes(d.status);
    code = d.code || code;
    document.title = code + " — " + t("Tra cứu hồ sơ", "Follow a dossier") + " — Lượt";
    $("#lookup").hidden = true;
    $("#mine").hidden = true;
    $("#dossier").hidden = false;
    $("#again").hidden = false;
    $("#d-code").textContent = code;
    $("#d-procedure").textContent = t(d.procVi, d.procEn);
    const st = $("#d-status");
    st.textContent = status(d.status);
    st.className = "badge " + badgeClass(d.status);
    $("#d-late").hidden = !d.late;
    document.body.dataset.status = d.status || "";

    fact("f-name", d.who);
    fact("f-received", when(d.received_at || d.submitted_at));
    fact("f-due", ["refused", "withdrawn"].includes(d.status) ? "" : due(d.due_at));
    fact("f-completed", when(d.completed_at));
    fact("f-returned", when(d.returned_at));

    // Late: the apology, with its new date, or the fact alone while the
    // office has not yet written one.
    const ap = d.apology;
    $("#late").hidden = !(open && (d.late || ap));
    $("#late-text").textContent = ap
      ? t("Cơ quan xin lỗi vì hồ sơ của bạn không được giải quyết đúng hẹn.", "The office apologises: your dossier was not dealt with by the date it gave.")
      : t("Hồ sơ đã quá ngày hẹn trả kết quả (" + due(d.due_at) + "). Cơ quan sẽ gửi lời xin lỗi và hẹn lại ngày trả.",
        "Your dossier is past its due date (" + due(d.due_at) + "). The office will apologise and give you a new date.");
    $("#apology").hidden = !(ap && ap.text);
    $("#apology").textContent = (ap && ap.text) || "";
    $("#late-new").hidden = !d.newDue;
    $("#late-new").textContent = d.newDue ? t("Hẹn trả kết quả mới: ", "New date for the result: ") + due(d.newDue) : "";

    $("#supplement").hidden = !(d.status === "needs_supplement" && d.supWhat);
    $("#supplement-what").textContent = d.supWhat;
    $("#supplement-by").hidden = !d.supBy;
    $("#supplement-by").textContent = d.supBy ? t("Hạn bổ sung: ", "Bring them by ") + due(d.supBy) : "";

    $("#ready").hidden = d.status !== "completed";
    $("#result-card").hidden = !(d.resultText && (d.status === "completed" || d.status === "returned"));
    $("#result").textContent = d.resultText;

    const closedText = {
      refused: ["Hồ sơ không được tiếp nhận.", "The dossier was not accepted."],
      withdrawn: ["Hồ sơ đã được rút.", "The dossier was withdrawn."],
      suspended: ["Hồ sơ đang dừng xử lý.", "Processing of the dossier is stopped."],
    }[d.status];
    $("#closed").hidden = !closedText;
    $("#closed-text").textContent = closedText ? t(closedText[0], closedText[1]) + (d.reason ? " " + t("Lý do: ", "Reason: ") + d.reason : "") : "";

    const canRate = !!(j.can_rate !== undefined ? j.can_rate : d.can_rate);
    $("#rating").hidden = !canRate;
    const r = d.rating;
    const words = { 4: ["Rất hài lòng", "Very satisfied"], 3: ["Hài lòng", "Satisfied"], 2: ["Bình thường", "Neutral"], 1: ["Không hài lòng", "Dissatisfied"] };
    $("#rated").hidden = !(r && words[r.score]);
    $("#rated").textContent = r && words[r.score] ? t("Cảm ơn bạn đã đánh giá: ", "Thank you for your rating: ") + t(words[r.score][0], words[r.score][1]) + "." : "";

    const tl = $("#timeline");
    tl.textContent = "";
    const history = j.history || d.history || [];
    // Staff's notes reach the applicant without their text: such a step
    // says nothing, and is left out.
    const steps = history.filter((ev) => !(ev.type === "dossier.note" && !ev.note));
    for (const ev of steps.slice().reverse()) {
      const li = el("li");
      li.dataset.type = String(ev.type || "");
      const tm = el("time", "", when(ev.at));
      tm.dateTime = ev.at || "";
      li.append(tm, el("b", "", eventText(ev)));
      if (ev.note) li.append(el("p", "", ev.note));
      if (ev.step_due && open) li.append(el("p", "step", t("Hạn của bước này: ", "This step is due ") + due(ev.step_due)));
      tl.append(li);
    }
    $("#timeline-card").hidden = steps.length === 0;

    if (cred && cred.k) {
      // Only the receipt's link (k) subscribes: the phone's 4 digits are
      // a look-up, not a key.
      if (open) LuotNotify.offer({ type: "dossier", id: code, office: $("meta[name=luot-office]").content }, cred.k);
      const until = new Date(Date.now() + 365 * 86400e3).toISOString().slice(0, 10);
      Luot.remember("dossiers", { id: code, url: location.pathname + location.search, day: until, number: code, name: d.procVi, name_en: d.procEn });
    }
  }

  async function load() {
    const j = await Luot.api("POST", "/dossiers/" + encodeURIComponent(code) + "/lookup", cred);
    await named;
    render(j);
  }

  function showForm(prefill) {
    $("#lookup").hidden = false;
    $("#dossier").hidden = true;
    if (prefill) $("#code").value = prefill;
    Luot.showMine("dossiers", $("#mine"));
  }

  // The form: its two fields are what the server needs to find the
  // dossier (and, for a link sent again, the phone it was given).
  function readForm() {
    const c = normal($("#code").value);
    const p = $("#phone4").value.trim();
    $("#code").setAttribute("aria-invalid", String(!SHAPE.test(c)));
    $("#phone4").setAttribute("aria-invalid", String(!/^[0-9]{4}$/.test(p)));
    if (!SHAPE.test(c)) {
      $("#code").focus();
      throw new Error(t("Mã hồ sơ gồm chữ, ngày và số thứ tự, ví dụ TP-261127-0001: hãy xem lại giấy tiếp nhận.",
        "A dossier code is letters, a date and a number, e.g. TP-261127-0001: look at your receipt again."));
    }
    if (!/^[0-9]{4}$/.test(p)) {
      $("#phone4").focus();
      throw new Error(t("Hãy nhập đúng 4 chữ số cuối của số điện thoại.", "Type the last 4 digits of the phone number."));
    }
    return { code: c, phone4: p };
  }
  $("#lookup").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    Luot.showError($("#form-error"), null);
    Luot.showError($("#error"), null);
    let f;
    try {
      f = readForm();
    } catch (e) {
      Luot.showError($("#form-error"), e);
      return;
    }
    const button = $("#find");
    button.disabled = true;
    try {
      code = f.code;
      cred = { phone4: f.phone4 };
      await load();
      // The address names the dossier, never the digits.
      history.replaceState(null, "", "/hs/" + encodeURIComponent(code));
    } catch (e) {
      cred = null;
      Luot.showError($("#form-error"), e);
    } finally {
      button.disabled = false;
    }
  });

  $("#rating").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    Luot.showError($("#rating-error"), null);
    const picked = document.querySelector('#rating input[name="score"]:checked');
    if (!picked) {
      Luot.showError($("#rating-error"), new Error(t("Hãy chọn một mức đánh giá.", "Choose a rating.")));
      document.querySelector('#rating input[name="score"]').focus();
      return;
    }
    const button = $("#rate");
    button.disabled = true;
    try {
      await Luot.api("POST", "/dossiers/" + encodeURIComponent(code) + "/rating",
        Object.assign({}, cred, { score: Number(picked.value), comment: $("#comment").value.trim() }));
      await load();
    } catch (e) {
      Luot.showError($("#rating-error"), e);
    } finally {
      button.disabled = false;
    }
  });

  document.addEventListener("luot:lang", () => { if (last) render(last); });

  const named = catalogue();
  if (pathCode && k && SHAPE.test(pathCode)) {
    code = pathCode;
    cred = { k };
    try {
      await load();
      return;
    } catch (e) {
      cred = null;
      Luot.showError($("#error"), e);
    }
  }
  showForm(pathCode && SHAPE.test(pathCode) ? pathCode : "");
  if (pathCode && !SHAPE.test(pathCode)) {
    Luot.showError($("#error"), new Error(t("Địa chỉ này không chứa một mã hồ sơ đúng dạng: hãy nhập mã in trên giấy tiếp nhận.",
      "This address holds no well-formed dossier code: type the code printed on your receipt.")));
  }
  if (pathCode && SHAPE.test(pathCode)) $("#phone4").focus();
});
