/* 送岗 web page: vanilla JS, no build step, no network beyond this server. */
"use strict";

const KEY = "songgang.key";
const ROLE_LABEL = { city_admin: "市级管理员", caseworker: "区县社工", organiser: "招聘会组织者" };
const KIND_LABEL = {
  pushed: "已推送", contacted: "已联系", interested: "有意向",
  interviewed: "已面试", hired: "已录用", declined: "不接受",
};
const TERM_LABEL = { text: "技能文本", category: "类别", salary: "薪资", location: "距离", freshness: "新鲜度" };
const STATUS_LABEL = { registered: "登记在册", employed: "已就业", deregistered: "已注销" };
const statusText = (s) => (STATUS_LABEL[s] ? `${STATUS_LABEL[s]}` : s);
const EDU_LABEL = ["不限", "小学", "初中", "高中/中专", "大专", "本科", "硕士", "博士"];
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PARAM_LABEL = { month: "月份" };
const REPORT_LABEL = { "/reports/monthly.xlsx": "攻坚行动统计表（附件1）xlsx" };
const RUN_STATUS = { running: "运行中/未完成", succeeded: "已完成" };
const FILE_LABEL = {
  "call_sheet.xlsx": "电话跟进表 xlsx", "call_sheet.csv": "电话跟进表 csv",
  "sms.csv": "短信 csv", "wechat.csv": "微信 csv", "report.md": "运行报告 md", "report.png": "曝光图 png",
};
const FILE_STATE = {
  missing: "文件已不在服务器上 / gone from the server",
  changed: "已被之后的运行覆盖 / overwritten by a later run",
};

const state = { me: null, options: null, results: [], person: null, spec: null };
const $ = (sel) => document.querySelector(sel);

/* ------------------------------------------------------------------ DOM helpers */

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function svg(tag, attrs, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children.flat()) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/* ------------------------------------------------------------------ status and API */

let busy = 0;
function status(text, kind) {
  const box = $("#status");
  box.textContent = text || "";
  box.className = "status" + (kind ? " " + kind : "");
}

function describe(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => `${(d.loc || []).slice(1).join(".") || "?"}: ${d.msg}`).join("；");
  }
  if (detail && typeof detail === "object") return JSON.stringify(detail);
  return "";
}

class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Call the API with the key; shows progress in the status bar, throws ApiError on failure. */
async function api(path, { method = "GET", body, form, raw = false, label = "处理中" } = {}) {
  const headers = { "X-API-Key": sessionStorage.getItem(KEY) || "" };
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  busy += 1;
  document.body.classList.add("busy");
  status(`${label}… / working…`, "progress");
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload });
  } catch (err) {
    throw new ApiError(0, "无法连接服务器 / cannot reach the server", null);
  } finally {
    busy -= 1;
    if (!busy) document.body.classList.remove("busy");
  }
  if (!res.ok) {
    let data = null;
    try { data = await res.json(); } catch (e) { /* not JSON */ }
    const text = describe(data && data.detail) || `${res.status} ${res.statusText}`;
    const hint = {
      401: "密钥无效，请重新登录 / unknown key: sign in again",
      403: "此角色无权操作 / this role may not do this",
      404: "未找到（或不在您的辖区）/ not found (or not in your district)",
      413: "文件太大 / file too large",
      503: "索引尚未建立 / no index yet",
    }[res.status];
    throw new ApiError(res.status, hint && !text.includes("/") ? `${hint}：${text}` : text, data);
  }
  status("");
  if (raw) return res;
  return res.status === 204 ? null : res.json();
}

function fail(err) {
  const msg = err instanceof ApiError ? err.message : `出错了 / error: ${err.message || err}`;
  status(`✗ ${msg}`, "error");
  if (err instanceof ApiError && err.status === 401) signOut(false);
}

/** Run an async action from a form or button: disable it while it runs, report errors. */
function action(fn) {
  return async (event) => {
    if (event) event.preventDefault();
    const target = event && (event.submitter || event.currentTarget);
    const buttons = target && target.tagName === "FORM" ? target.querySelectorAll("button") : [target];
    buttons.forEach((b) => b && (b.disabled = true));
    try {
      await fn(event);
    } catch (err) {
      fail(err);
    } finally {
      buttons.forEach((b) => b && (b.disabled = false));
    }
  };
}

async function download(path, filename, label) {
  const res = await api(path, { raw: true, label });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  status(`✓ 已下载 ${filename} / downloaded`, "ok");
}

/* ------------------------------------------------------------------ sign in */

async function signIn(key) {
  sessionStorage.setItem(KEY, key);
  const me = await api("/me", { label: "登录中" });
  state.me = me;
  state.options = await api("/web/options", { label: "加载选项" });
  $("#signin").hidden = true;
  $("#who").hidden = false;
  $("#who-role").textContent = ROLE_LABEL[me.role] || me.role;
  $("#who-district").textContent = me.district ? `辖区：${me.district}` : "全市 / all districts";
  document.querySelectorAll("[data-roles]").forEach((el) => {
    el.hidden = !el.dataset.roles.split(" ").includes(me.role);
  });
  $("#tabs").hidden = false;
  buildFairForm();
  state.spec = await openapi();
  if (me.role !== "organiser" && state.spec.paths["/nightly/runs"]) await loadNightly();
  if (me.role === "city_admin") await loadAdmin();
  status(`✓ 已登录：${ROLE_LABEL[me.role]}${me.district ? " · " + me.district : ""} / signed in`, "ok");
  const first = document.querySelector("section.card:not([hidden]) input");
  if (first) first.focus();
}

function signOut(clear = true) {
  sessionStorage.removeItem(KEY);
  state.me = null;
  document.querySelectorAll("[data-roles], #person, #tabs").forEach((el) => (el.hidden = true));
  $("#who").hidden = true;
  $("#signin").hidden = false;
  ["#results", "#recs", "#profile", "#outcomes", "#fair-results", "#invite", "#upload-report", "#chart", "#callsheet",
    "#nightly-runs", "#nightly-files", "#download-list"]
    .forEach((s) => ($(s).textContent = ""));
  if (clear) status("已退出 / signed out");
  $("#key").focus();
}

/* ------------------------------------------------------------------ caseworker: persons */

async function search() {
  const q = $("#q").value.trim();
  const data = await api(`/persons?${new URLSearchParams({ q, page_size: 50 })}`, { label: "搜索中" });
  state.results = data.data;
  const box = $("#results");
  box.textContent = "";
  $("#print-sheet").disabled = !data.data.length;
  if (!data.data.length) {
    box.append(h("p", { class: "empty" }, "没有找到符合条件的人员 / nobody found"));
    buildCallSheet();
    return;
  }
  box.append(
    h("p", { class: "muted" }, `共 ${data.count} 人${data.count > data.data.length ? `，显示前 ${data.data.length} 人` : ""}`),
    h("div", { class: "scroll" }, h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ["姓名", "身份证号", "电话", "性别", "所属区", "状态", ""].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, data.data.map((p) => h("tr", {},
        h("td", { "data-label": "姓名" }, p.name),
        h("td", { "data-label": "身份证号", class: "mono" }, p.id_number),
        h("td", { "data-label": "电话", class: "mono" }, p.phone),
        h("td", { "data-label": "性别" }, p.gender),
        h("td", { "data-label": "所属区" }, p.district),
        h("td", { "data-label": "状态", title: p.status }, statusText(p.status)),
        h("td", {}, h("button", { type: "button", class: "small", onclick: action(() => openPerson(p.id)) }, "查看推荐")),
      ))),
    )),
  );
  buildCallSheet();
  status(`✓ 找到 ${data.count} 人 / found ${data.count}`, "ok");
}

function buildCallSheet() {
  const sheet = $("#callsheet");
  sheet.textContent = "";
  if (!state.results.length || !state.me) return;
  const when = new Date().toLocaleString("zh-CN");
  sheet.append(
    h("h1", {}, "呼叫单 / call sheet"),
    h("p", {}, `${ROLE_LABEL[state.me.role]} ${state.me.district || ""} · 打印时间 ${when} · 共 ${state.results.length} 人`),
    h("table", {},
      h("thead", {}, h("tr", {}, ["序号", "姓名", "电话", "所属区", "状态", "结果（联系/意向/面试/录用/拒绝）", "备注"].map((t) => h("th", {}, t)))),
      h("tbody", {}, state.results.map((p, i) => h("tr", {},
        h("td", {}, i + 1), h("td", {}, p.name), h("td", {}, p.phone), h("td", {}, p.district),
        h("td", {}, statusText(p.status)), h("td", {}, ""), h("td", {}, ""),
      ))),
    ),
  );
}

async function openPerson(id) {
  const p = await api(`/persons/${id}`, { label: "读取档案" });
  state.person = p;
  const dl = $("#profile");
  dl.textContent = "";
  const edu = EDU_LABEL[p.education] || String(p.education);
  const cats = p.wanted_categories.map((c) => `${c} ${state.options.categories[c] || ""}`).join("、") || "—";
  const rows = [
    ["姓名", p.name], ["身份证号", p.id_number], ["电话", p.phone], ["性别", p.gender],
    ["年龄", p.age ?? "—"], ["学历", edu], ["所属区", p.district], ["状态", statusText(p.status)],
    ["意向类别", cats], ["技能", p.skills || "—"], ["期望薪资", p.expected_pay_text || "—"],
    ["居住地址", p.residential_address || "—"], ["地点要求", p.location_requirement || "—"],
    ["失业时间", p.unemployed_since || "—"],
    ["工作经历", p.work_history.map((w) => `${w.period} ${w.employer} ${w.position}`).join("；") || "—"],
  ];
  for (const [k, v] of rows) {
    const mono = k === "身份证号" || k === "电话" ? "mono nowrap" : null;
    dl.append(h("div", {}, h("dt", {}, k), h("dd", { class: mono }, String(v))));
  }
  if (p.masked) dl.append(h("p", { class: "muted" }, "身份证号和电话已脱敏 / ID number and phone masked"));
  $("#person-h").textContent = `人员概况：${p.name}`;
  $("#person").hidden = false;
  await loadOutcomes();
  await loadRecs();
  $("#person").focus();
  $("#person").scrollIntoView({ block: "start" });
}

async function loadOutcomes() {
  const p = state.person;
  const data = await api(`/web/persons/${p.id}/outcomes`, { label: "读取跟进记录" });
  const ul = $("#outcomes");
  ul.textContent = "";
  if (!data.count) ul.append(h("li", { class: "muted" }, "尚无记录 / none yet"));
  for (const o of data.data) {
    ul.append(h("li", { "data-outcome": o.kind, "data-posting": o.posting_id },
      h("strong", {}, KIND_LABEL[o.kind] || o.kind), ` 岗位 #${o.posting_id}`,
      o.reason ? `（原因：${o.reason}）` : "", h("span", { class: "muted" }, ` ${new Date(o.at).toLocaleString("zh-CN")}`)));
  }
}

function legend() {
  const box = $("#legend");
  box.textContent = "";
  box.append(...Object.entries(TERM_LABEL).map(([k, v]) => h("span", {}, h("i", { class: `t-${k}` }), v)));
}

function scoreBar(m) {
  const bar = h("div", { class: "bar", role: "img", "aria-label": `匹配度 ${(m.score * 100).toFixed(0)} 分：` +
    m.terms.map((t) => `${TERM_LABEL[t.name] || t.name} ${(t.contribution * 100).toFixed(0)}`).join("，") });
  for (const t of m.terms) {
    if (t.contribution <= 0) continue;
    bar.append(h("span", { class: `t-${t.name}`, style: `width:${Math.min(100, t.contribution * 100).toFixed(1)}%`,
      title: `${TERM_LABEL[t.name] || t.name}: 值 ${t.value.toFixed(2)} × 权重 ${t.weight.toFixed(2)} = ${t.contribution.toFixed(3)}` }));
  }
  return bar;
}

async function loadRecs() {
  const p = state.person;
  const n = Math.max(1, Math.min(100, Number($("#rec-n").value) || 10));
  const data = await api(`/persons/${p.id}/recommendations?n=${n}`, { label: "计算推荐" });
  const ol = $("#recs");
  ol.textContent = "";
  legend();
  if (!data.count) {
    ol.append(h("li", { class: "empty" }, data.message || "没有推荐 / no recommendations"));
    return;
  }
  for (const m of data.data) ol.append(recCard(p, m));
  status(`✓ ${data.count} 个推荐岗位 / ${data.count} recommendations`, "ok");
}

function recCard(person, m) {
  const done = h("p", { class: "saved", role: "status" });
  const reasonBox = h("form", { class: "row reason", hidden: true },
    h("label", { for: `reason-${m.posting_id}` }, "不接受原因"),
    h("input", { id: `reason-${m.posting_id}`, type: "text", maxlength: "500", required: true, placeholder: "如：距离太远" }),
    h("button", { type: "submit" }, "确认不接受"),
    h("button", { type: "button", class: "secondary", onclick: () => { reasonBox.hidden = true; } }, "取消"));
  const record = async (kind, reason = "") => {
    const out = await api(`/persons/${person.id}/outcomes`, {
      method: "POST", body: { posting_id: Number(m.posting_id), kind, reason }, label: "保存中",
    });
    if (kind === "declined") card.classList.add("declined");
    done.textContent = `✓ 已保存：${KIND_LABEL[out.kind]}${out.reason ? "（" + out.reason + "）" : ""} · 记录号 ${out.id}`;
    reasonBox.hidden = true;
    await loadOutcomes();
    status(`✓ 已记录 ${KIND_LABEL[out.kind]} / outcome stored`, "ok");
  };
  reasonBox.addEventListener("submit", action(() => record("declined", reasonBox.querySelector("input").value.trim())));
  const buttons = ["contacted", "interested", "interviewed", "hired"].map((k) =>
    h("button", { type: "button", class: "small", "data-kind": k, onclick: action(() => record(k)) }, KIND_LABEL[k]));
  buttons.push(h("button", { type: "button", class: "small danger", "data-kind": "declined",
    onclick: () => { reasonBox.hidden = false; reasonBox.querySelector("input").focus(); } }, "不接受…"));
  const cat = m.category ? `${m.category} ${state.options.categories[m.category] || ""}` : "未分类";
  const card = h("li", { class: "rec", "data-posting": m.posting_id },
    h("div", { class: "rec-head" },
      h("h4", {}, m.title),
      h("span", { class: "score" }, `${(m.score * 100).toFixed(0)}分`)),
    h("p", { class: "muted" }, `${m.employer} · ${m.district || "区未知"} · ${m.salary_text || "薪资面议"} · ${cat} · 岗位 #${m.posting_id}`),
    scoreBar(m),
    h("ul", { class: "reasons" }, m.reasons.map((r) => h("li", {}, r))),
    m.flags.length ? h("p", { class: "flags" }, "注意：", m.flags.join("、")) : null,
    h("div", { class: "actions", role: "group", "aria-label": "记录结果 / record outcome" }, buttons),
    reasonBox, done);
  return card;
}

/* ------------------------------------------------------------------ organiser: job fairs */

function buildFairForm() {
  const o = state.options;
  const cats = $("#fair-cats");
  const dists = $("#fair-districts");
  if (cats.childElementCount) return;
  for (const [code, label] of Object.entries(o.categories)) {
    cats.append(h("label", { class: "check" }, h("input", { type: "checkbox", name: "cat", value: code }), `${code} ${label}`));
  }
  for (const d of o.districts) {
    dists.append(h("label", { class: "check" }, h("input", { type: "checkbox", name: "district", value: d }), d));
  }
}

async function selectFair() {
  const checked = (name) => [...document.querySelectorAll(`#fair-form input[name=${name}]:checked`)].map((i) => i.value);
  const body = {
    categories: checked("cat"),
    districts: checked("district"),
    keywords: $("#fair-keywords").value.split(/[\s,，、]+/).filter(Boolean),
    limit: Math.max(1, Math.min(500, Number($("#fair-limit").value) || 20)),
  };
  if ($("#fair-date").value) body.date = $("#fair-date").value;
  const data = await api("/job-fairs/selection", { method: "POST", body, label: "选岗中" });
  const box = $("#fair-results");
  box.textContent = "";
  $("#invite").hidden = true;
  if (!data.count) {
    box.append(h("p", { class: "empty" }, `${data.date} 没有符合主题的岗位 / no posting fits the theme`));
    return;
  }
  const top = Math.max(1, ...data.data.map((p) => p.fit_count));
  box.append(
    h("p", { class: "muted" }, `${data.date} · ${data.count} 个岗位，按需求人数排序 / ranked by demand`),
    h("div", { class: "scroll" }, h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ["岗位", "单位", "区", "类别", "薪资", "需求人数", ""].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, data.data.map((p) => h("tr", {},
        h("td", { "data-label": "岗位" }, p.title),
        h("td", { "data-label": "单位" }, p.employer),
        h("td", { "data-label": "区" }, p.district || "—"),
        h("td", { "data-label": "类别", title: state.options.categories[p.category] || "" }, p.category || "—"),
        h("td", { "data-label": "薪资" }, p.salary_text || "面议"),
        h("td", { "data-label": "需求人数", title: Object.entries(p.by_district).map(([d, c]) => `${d} ${c}`).join("，") },
          h("span", { class: "demand" }, h("span", { style: `width:${(100 * p.fit_count / top).toFixed(1)}%` })), ` ${p.fit_count}`),
        h("td", {}, h("button", { type: "button", class: "small", onclick: action(() => invite(p)) }, "邀约名单")),
      ))),
    )),
  );
  status(`✓ ${data.count} 个岗位 / postings selected`, "ok");
}

async function invite(p) {
  const data = await api(`/postings/${p.posting_id}/candidates?n=50`, { label: "生成邀约名单" });
  const box = $("#invite");
  box.textContent = "";
  const organiser = state.me.role === "organiser";
  const cols = organiser ? ["序号", "姓名", "所属区", "匹配度"] : ["序号", "姓名", "身份证号", "电话", "所属区", "匹配度"];
  box.append(
    h("h3", {}, `邀约名单：${p.title}（${p.employer}）`),
    h("p", { class: "muted" }, `${data.count} 人 · ` + Object.entries(data.by_district).map(([d, c]) => `${d} ${c}`).join("，")),
    h("button", { type: "button", onclick: action(() => download(`/web/postings/${p.posting_id}/candidates.xlsx?n=50`, `邀约名单-${p.posting_id}.xlsx`, "生成表格")) }, "下载 xlsx"),
    h("div", { class: "scroll" }, h("table", { class: "list" },
      h("thead", {}, h("tr", {}, cols.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, data.data.map((c, i) => h("tr", {},
        h("td", { "data-label": "序号" }, i + 1),
        h("td", { "data-label": "姓名" }, c.name),
        organiser ? null : h("td", { "data-label": "身份证号", class: "mono" }, c.id_number || ""),
        organiser ? null : h("td", { "data-label": "电话", class: "mono" }, c.phone || ""),
        h("td", { "data-label": "所属区" }, c.district),
        h("td", { "data-label": "匹配度" }, `${(c.score * 100).toFixed(0)}分`),
      ))),
    )),
  );
  box.hidden = false;
  box.focus();
  status(`✓ 邀约名单 ${data.count} 人 / invite list`, "ok");
}

/* ------------------------------------------------------------------ city admin */

async function upload() {
  const file = $("#upload-file").files[0];
  if (!file) throw new Error("请选择文件 / choose a file");
  const kind = $("#upload-kind").value;
  const form = new FormData();
  form.append("file", file);
  const box = $("#upload-report");
  box.textContent = "";
  // The import runs as a job on the server: queued → running → succeeded / failed.
  let job = await api(`/imports/${kind}`, { method: "POST", form, label: "上传中" });
  while (job.status === "queued" || job.status === "running") {
    status(`导入${job.status === "queued" ? "排队" : "进行"}中… / import ${job.status}…`, "progress");
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = await api(job.status_url, { label: "导入进行中" });
  }
  if (job.report) showReport(job.report, job.rejects_url);
  if (job.status === "failed") throw new ApiError(job.error_status || 422, job.detail, job);
  status(`✓ 导入完成：新增 ${job.report.inserted}，拒收 ${job.report.rejected} / imported`, "ok");
}

function showReport(r, rejectsUrl) {
  const box = $("#upload-report");
  const counts = [["读取", r.read], ["新增", r.inserted], ["更新", r.updated], ["未变", r.unchanged],
    ["重复", r.duplicates], ["拒收", r.rejected]];
  box.append(
    h("p", {}, `${r.file}：`, counts.map(([k, v]) => h("span", { class: "pill" }, `${k} ${v}`)),
      ` 索引：${{ started: "后台重建中", failed: "重建未能启动" }[r.index_rebuild] || "无需重建"}`,
      rejectsUrl ? [" ", h("button", { type: "button", onclick: action(() => saveRejects(rejectsUrl)) },
        "下载被拒绝的行 / rejected rows")] : null),
    r.rejects.length ? h("div", { class: "scroll" }, h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ["行", "列", "值", "原因", "reason"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, r.rejects.map((x) => h("tr", {},
        h("td", { "data-label": "行" }, x.row ?? ""), h("td", { "data-label": "列" }, x.column),
        h("td", { "data-label": "值" }, x.value), h("td", { "data-label": "原因" }, x.reason),
        h("td", { "data-label": "reason" }, x.reason_en))))),
    ) : null,
  );
}

async function saveRejects(url) {
  const res = await api(url, { raw: true, label: "下载中" });
  const link = h("a", { href: URL.createObjectURL(await res.blob()), download: "rejects.csv" });
  link.click();
  URL.revokeObjectURL(link.href);
}

/** The API's own description (no key needed); an empty one when it cannot be read. */
async function openapi() {
  try {
    const res = await fetch("/openapi.json");
    if (res.ok) return await res.json();
  } catch (e) { /* the page works without the optional sections */ }
  return { paths: {} };
}

/** A download form for every spreadsheet the API offers without an id in the path (附件1):
 *  one input per required query parameter, checked against the parameter's pattern. */
function loadDownloads(today) {
  const list = $("#download-list");
  list.textContent = "";
  const month = String(today).slice(0, 7); // the server's date (SONGGANG_TODAY), not the browser's
  for (const [path, ops] of Object.entries(state.spec.paths || {})) {
    const op = ops.get;
    const content = op && op.responses && op.responses["200"] && op.responses["200"].content;
    if (path.includes("{") || !content || !content[XLSX]) continue;
    const params = (op.parameters || []).filter((p) => p.in === "query" && p.required);
    const slug = path.replace(/\W+/g, "-").replace(/^-|-$/g, "");
    const inputs = params.map((p) => {
      const schema = p.schema || {};
      const example = (schema.examples || p.examples || [])[0];
      return h("input", { id: `dl-${slug}-${p.name}`, name: p.name, type: "text", required: true,
        pattern: schema.pattern ? schema.pattern.replace(/^\^|\$$/g, "") : null,
        placeholder: example ? `如：${example}` : null, value: p.name === "month" ? month : null });
    });
    const form = h("form", { class: "row" },
      h("strong", { title: op.description || "" }, REPORT_LABEL[path] || op.summary || path),
      params.flatMap((p, i) => [h("label", { for: inputs[i].id }, PARAM_LABEL[p.name] || p.name), inputs[i]]),
      h("button", { type: "submit" }, "下载"));
    form.addEventListener("submit", action(() => {
      const query = new URLSearchParams(inputs.map((i) => [i.name, i.value.trim()]));
      const stem = path.split("/").pop().replace(/\.xlsx$/, "");
      const file = [stem, ...inputs.map((i) => i.value.trim())].join("-") + ".xlsx";
      return download(params.length ? `${path}?${query}` : path, file, "生成报表");
    }));
    list.append(h("li", {}, form));
  }
  $("#downloads").hidden = !list.childElementCount;
}

/* ------------------------------------------------------------------ nightly push lists */

async function loadNightly() {
  const data = await api("/nightly/runs", { label: "读取夜间推送" });
  const box = $("#nightly-runs");
  box.textContent = "";
  $("#nightly-files").hidden = true;
  const own = state.me.role === "caseworker";
  $("#nightly-scope").textContent = own
    ? `只显示${state.me.district}的名单和人数 / your district's lists only`
    : "全市各区的名单和运行报告 / every district's lists and the run report";
  if (!data.count) {
    box.append(h("p", { class: "empty" }, "尚无夜间推送记录（songgang nightly）/ no nightly run yet"));
    return;
  }
  const n = (r, k) => (r.counts ? r.counts[k] : "—");
  box.append(h("div", { class: "scroll" }, h("table", { class: "list" },
    h("thead", {}, h("tr", {}, ["日期", "状态", "人数", "覆盖", "推送条数", "需电话联系", "名单"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, data.data.map((r) => h("tr", { "data-run": r.id },
      h("td", { "data-label": "日期" }, r.run_date),
      h("td", { "data-label": "状态" }, RUN_STATUS[r.status] || r.status),
      h("td", { "data-label": "人数" }, n(r, "persons")),
      h("td", { "data-label": "覆盖" }, n(r, "covered")),
      h("td", { "data-label": "推送条数" }, n(r, "pushes")),
      h("td", { "data-label": "需电话联系" }, n(r, "call")),
      h("td", { "data-label": "名单" }, r.districts.length
        ? h("button", { type: "button", class: "small", onclick: action(() => nightlyFiles(r)) },
          own ? "查看名单" : `查看名单（${r.districts.length} 个区）`)
        : h("span", { class: "muted" }, "无可下载文件")),
    ))),
  )));
}

async function nightlyFiles(run) {
  const data = await api(`/nightly/runs/${run.id}/files`, { label: "读取文件列表" });
  const box = $("#nightly-files");
  box.textContent = "";
  box.append(
    h("h3", {}, `${run.run_date} 的名单 / lists of ${run.run_date}`),
    h("div", { class: "scroll" }, h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ["区", "文件", "大小", ""].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, data.data.map((f) => {
        const where = f.district || "全市";
        const label = FILE_LABEL[f.name] || f.name;
        const file = ["夜间推送", run.run_date, f.district, f.name].filter(Boolean).join("-");
        return h("tr", { "data-path": f.path },
          h("td", { "data-label": "区" }, where),
          h("td", { "data-label": "文件" }, label),
          h("td", { "data-label": "大小" }, `${Math.max(1, Math.round(f.size_bytes / 1024))} KB`),
          h("td", {}, f.state === "ok"
            ? h("button", { type: "button", class: "small", "aria-label": `下载 ${where} ${label}`,
              onclick: action(() => download(f.url, file, "下载名单")) }, "下载")
            : h("span", { class: "flags" }, FILE_STATE[f.state] || f.state)));
      })),
    )),
  );
  box.hidden = false;
  box.focus();
  status(`✓ ${run.run_date}：${data.count} 个文件 / files`, "ok");
}

/* ------------------------------------------------------------------ city admin: progress */

async function loadAdmin() {
  const data = await api("/web/progress", { label: "读取进度" });
  loadDownloads(data.today);
  drawChart(data);
}

function drawChart(data) {
  const box = $("#chart");
  box.textContent = "";
  const kinds = Object.keys(data.by_kind);
  const max = Math.max(1, ...Object.values(data.by_kind));
  state.progress = data;
  const W = Math.max(300, Math.min(620, box.clientWidth || 560)), rowH = 30, left = 70, right = 40;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${kinds.length * rowH + 10}`, role: "img",
    "aria-label": "跟进进度：" + kinds.map((k) => `${KIND_LABEL[k]} ${data.by_kind[k]}`).join("，") });
  kinds.forEach((k, i) => {
    const y = 5 + i * rowH;
    const w = ((W - left - right) * data.by_kind[k]) / max;
    chart.append(
      svg("text", { x: left - 8, y: y + 19, "text-anchor": "end", class: "lbl" }, KIND_LABEL[k]),
      svg("rect", { x: left, y: y + 4, width: Math.max(w, 1), height: rowH - 10, rx: 3, class: `k-${k}` }),
      svg("text", { x: left + w + 6, y: y + 19, class: "val" }, data.by_kind[k]),
    );
  });
  const run = data.latest_run_date
    ? `；已推送为 ${data.latest_run_date} 夜间推送的条数 / pushed: the latest nightly run`
    : "；尚无夜间推送 / no nightly run yet";
  box.append(h("p", { class: "muted" }, `有跟进记录的人数：${data.persons} / persons with outcomes${run}`), chart);
}

/* ------------------------------------------------------------------ wiring */

document.addEventListener("DOMContentLoaded", () => {
  $("#signin-form").addEventListener("submit", action(() => signIn($("#key").value.trim())));
  $("#signout").addEventListener("click", () => signOut());
  $("#search-form").addEventListener("submit", action(search));
  $("#rec-form").addEventListener("submit", action(loadRecs));
  $("#print-sheet").addEventListener("click", () => window.print());
  $("#fair-form").addEventListener("submit", action(selectFair));
  $("#upload-form").addEventListener("submit", action(upload));
  let resizing;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => state.progress && !$("#admin").hidden && drawChart(state.progress), 100);
  });
  const saved = sessionStorage.getItem(KEY);
  if (saved) signIn(saved).catch(fail);
  else $("#key").focus();
});
