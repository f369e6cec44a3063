// The gate page without the network (issue 14, point 6). Online the page works as the server
// renders it; offline (the browser says so, or a call to the server fails) this script finds
// people and checks passes in the offline bundle kept on the phone, and keeps each passage in
// the queue (gate_store.js) with its client UUID and the time it happened. The queue is sent
// through POST /api/passages/batch/ when the network returns, on page load and every 30 s:
// the server records a UUID once, and only what it answered as recorded leaves the queue;
// what it refused stays, shown with its reason, until the staff remove it.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("gate-offline-config").textContent);
  var T = config.texts;
  var Store = window.GateStore;
  var BUNDLE_KEY = config.checkpoint + ":" + config.user;
  var RETRY_MS = 30000;
  var BATCH = 500;
  var state = { offline: !navigator.onLine, bundle: null, syncing: false, queue: [] };

  var K = window.GateKit;
  var fmt = K.fmt, el = K.el, uuid = K.uuid, csrf = K.csrf, localDay = K.localDay, hhmm = K.hhmm;
  var reasonOf = K.reasonOf, sha256 = K.sha256, radio = K.radio;
  function readFigures(form, direction) { return K.readFigures(form, direction, T); }
  function $(id) { return document.getElementById(id); }
  function show(node, yes) { if (node) node.hidden = !yes; }
  function message(text, kind) {
    var box = $("gate-offline-message");
    box.className = "alert py-2 mb-2 alert-" + (kind || "info");
    box.textContent = text;
    show(box, !!text);
  }

  // ------------------------------------------------------------------ online or not
  function setOffline(offline, quiet) {
    state.offline = offline;
    var banner = $("gate-offline-banner");
    banner.textContent = T.offline;
    show(banner, offline);
    document.body.classList.toggle("gate-is-offline", offline);
    if (!offline && !quiet) { refreshBundle().then(sync); }
  }
  window.addEventListener("offline", function () { setOffline(true); });
  window.addEventListener("online", function () { setOffline(false); });

  // ------------------------------------------------------------------ the queue
  function mine(item) { return item.user === config.user; }
  function renderQueue() {
    return Store.queued().then(function (items) {
      state.queue = items;
      var own = items.filter(mine);
      var waiting = own.filter(function (i) { return i.status !== "refused"; });
      var refused = own.filter(function (i) { return i.status === "refused"; });
      $("gate-queue-count").textContent = fmt(T.waiting, { n: waiting.length });
      show($("gate-queue"), waiting.length > 0);
      var others = items.length - own.length;
      $("gate-queue-others").textContent = fmt(T.others, { n: others });
      show($("gate-queue-others"), others > 0);
      var list = $("gate-queue-refused");
      list.textContent = "";
      refused.forEach(function (item) {
        var row = el("li", "list-group-item d-flex align-items-center gap-2 gate-refused");
        var text = el("span", "me-auto");
        text.appendChild(el("span", "fw-bold", item.label));
        text.appendChild(el("span", "d-block small text-danger", T.refused + "：" + item.reason));
        row.appendChild(text);
        var remove = el("button", "btn btn-outline-secondary flex-shrink-0", T.remove);
        remove.type = "button";
        remove.addEventListener("click", function () {
          Store.remove([item.client_uuid]).then(renderQueue);
        });
        row.appendChild(remove);
        list.appendChild(row);
      });
      show(list, refused.length > 0);
    });
  }


  function sync() {
    if (state.syncing || state.offline) return Promise.resolve();
    state.syncing = true;
    var status = $("gate-sync-status");
    return Store.queued().then(function (items) {
      var waiting = items.filter(function (i) { return mine(i) && i.status !== "refused"; });
      if (!waiting.length) return 0;
      status.textContent = T.syncing;
      var sent = 0;
      var chunks = [];
      for (var i = 0; i < waiting.length; i += BATCH) chunks.push(waiting.slice(i, i + BATCH));
      return chunks.reduce(function (previous, chunk) {
        return previous.then(function () { return send(chunk).then(function (n) { sent += n; }); });
      }, Promise.resolve()).then(function () {
        status.textContent = fmt(T.synced, { n: sent });
        return sent;
      });
    }).catch(function (error) {
      status.textContent = error.message || String(error);
    }).then(function () {
      state.syncing = false;
      return renderQueue();
    });
  }

  function send(chunk) {
    return fetch(config.batch_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify({ passages: chunk.map(function (i) { return i.body; }) })
    }).catch(function () {
      setOffline(true);
      throw new Error(fmt(T.sync_failed, { status: "—" }));
    }).then(function (response) {
      if (response.status === 401 || response.status === 403 || response.redirected) {
        throw new Error(T.log_in_again);
      }
      if (!response.ok) throw new Error(fmt(T.sync_failed, { status: response.status }));
      return response.json();
    }).then(function (answer) {
      var done = [], refused = [];
      answer.results.forEach(function (result, index) {
        var item = chunk[index];
        if (!item || (result.client_uuid && result.client_uuid !== item.client_uuid)) return;
        if (result.status === "created" || result.status === "existing") done.push(item.client_uuid);
        else if (result.status === "refused") {
          item.status = "refused";
          item.reason = reasonOf(result.errors);
          refused.push(item);
        }
      });
      return Store.putAll(refused).then(function () { return Store.remove(done); }).then(function () {
        return done.length;
      });
    });
  }


  // ------------------------------------------------------------------ the offline bundle
  // Also the probe of a page that went offline on a failed call while the browser said it
  // was online: the first answer of the server brings it back.
  function refreshBundle() {
    if (!navigator.onLine) return Promise.resolve();
    var headers = { Accept: "application/json" };
    if (state.bundle) headers["If-None-Match"] = '"' + state.bundle.data.version + '"';
    return fetch(config.bundle_url, { credentials: "same-origin", headers: headers, cache: "no-store" })
      .then(function (response) {
        if (state.offline) setOffline(false, true);
        if (response.status === 304) {
          state.bundle.fetched_at = new Date().toISOString();
          return Store.keepBundle(state.bundle);
        }
        if (!response.ok) return null;
        return response.json().then(function (data) {
          state.bundle = { key: BUNDLE_KEY, data: data, fetched_at: new Date().toISOString() };
          return Store.keepBundle(state.bundle);
        });
      })
      .catch(function () { setOffline(true); })
      .then(renderBundle);
  }

  function usableBundle() {
    var b = state.bundle;
    return b && new Date(b.data.fresh_until) > new Date() ? b.data : null;
  }

  function renderBundle() {
    var line = $("gate-bundle-status");
    var b = state.bundle;
    line.dataset.version = b ? b.data.version : "";
    if (!b) line.textContent = T.no_bundle;
    else if (!usableBundle()) line.textContent = T.bundle_old;
    else line.textContent = fmt(T.bundle, { people: b.data.residents.length, passes: b.data.passes.length, time: hhmm(b.fetched_at) });
  }

  // ------------------------------------------------------------------ lookup offline
  function search(text) {
    var data = usableBundle();
    var q = text.replace(/\s+/g, "");
    if (!data || !q) return [];
    var test;
    if (/^[0-9]{3}[0-9xX]$/.test(q)) test = function (r) { return r.id_last4.toUpperCase() === q.toUpperCase(); };
    else if (/^[A-Za-z]+$/.test(q)) test = function (r) { return r.initials.indexOf(q.toLowerCase()) === 0; };
    else test = function (r) { return r.name.indexOf(q) === 0; };
    return data.residents.filter(test).slice(0, 10);
  }

  function clearServerParts() {
    ["gate-found", "gate-record", "gate-pass-ok", "gate-pass-refused"].forEach(function (id) { show($(id), false); });
    show($("gate-offline-found"), false);
    show($("gate-offline-record"), false);
    show($("gate-offline-pass"), false);
    message("");
  }

  function personButton(resident, passInfo) {
    var button = el("button", "list-group-item list-group-item-action gate-person");
    button.type = "button";
    button.appendChild(el("span", "fw-bold", resident.name));
    button.appendChild(el("span", "d-block small text-muted",
      resident.id_number_masked + (resident.household_label ? " · " + resident.household_label : "")));
    button.addEventListener("click", function () { recordForm(resident, passInfo); });
    return button;
  }

  function showFound(text) {
    clearServerParts();
    if (!usableBundle()) { message(state.bundle ? T.bundle_old : T.no_bundle, "warning"); return; }
    var list = $("gate-offline-found");
    list.textContent = "";
    var found = search(text);
    found.forEach(function (r) { list.appendChild(personButton(r, null)); });
    if (!found.length) list.appendChild(el("div", "list-group-item text-muted", T.nobody));
    show(list, true);
  }

  // ------------------------------------------------------------------ passes offline

  function checkPass(code) {
    var data = usableBundle();
    if (!data) return Promise.resolve({ refused: state.bundle ? T.bundle_old : T.no_bundle });
    var clean = code.replace(/\s+/g, "");
    return sha256(clean).then(function (digest) {
      var pass = data.passes.filter(function (p) { return p.code_sha256 === digest; })[0];
      if (!pass) return { refused: T.pass_unknown };
      if (pass.revoked) return { refused: T.pass_revoked };
      var today = localDay();
      if (today > pass.valid_until) return { refused: fmt(T.pass_expired, { date: pass.valid_until }) };
      if (today < pass.valid_from) return { refused: fmt(T.pass_not_yet, { date: pass.valid_from }) };
      return { pass: pass, code: clean };
    });
  }

  function members(pass) {
    return usableBundle().residents.filter(function (r) {
      return pass.household ? r.household === pass.household : r.id === pass.resident;
    });
  }

  // The exits of the pass's household in its quota period: the server's, and those waiting
  // in the queue on this phone.
  function quotaRefusal(pass, at) {
    if (!pass.exits || !pass.per_days) return null;
    var since = at.getTime() - pass.per_days * 86400000;
    var times = pass.exits_made.slice();
    state.queue.forEach(function (item) {
      if (item.status !== "refused" && item.pass_household === pass.household && item.body.direction === "out") {
        times.push(item.body.recorded_at);
      }
    });
    var made = times.filter(function (t) { var ms = new Date(t).getTime(); return ms > since && ms <= at.getTime(); }).sort();
    if (made.length < pass.exits) return null;
    return fmt(T.pass_quota, { exits: pass.exits, days: pass.per_days, times: made.map(hhmm).join("、") });
  }

  function showPass(code) {
    clearServerParts();
    return checkPass(code).then(function (answer) {
      var box = $("gate-offline-pass");
      box.textContent = "";
      if (answer.refused) {
        box.className = "alert alert-danger py-2 mb-2";
        box.setAttribute("role", "alert");
        box.textContent = answer.refused;
        show(box, true);
        return;
      }
      box.className = "card card-body mb-3";
      box.appendChild(el("div", "fw-bold", answer.pass.kind === "work" ? T.work_pass : T.household_pass));
      box.appendChild(el("div", "small text-muted mb-2",
        answer.pass.valid_from + " – " + answer.pass.valid_until + " · " + T.pass_ok));
      var list = el("div", "list-group");
      members(answer.pass).forEach(function (r) { list.appendChild(personButton(r, answer)); });
      box.appendChild(list);
      show(box, true);
    });
  }

  // ------------------------------------------------------------------ recording offline

  function recordForm(resident, passInfo) {
    clearServerParts();
    var form = $("gate-offline-record");
    form.textContent = "";
    var head = el("div", "mb-2");
    head.appendChild(el("span", "fw-bold fs-5", resident.name));
    head.lastChild.id = "gate-offline-person";
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "small text-muted",
      resident.id_number_masked + (resident.household_label ? " · " + resident.household_label : "")));
    form.appendChild(head);
    if (resident.monitored) form.appendChild(el("div", "alert alert-warning py-2", T.monitored));
    var group = el("div", "mb-3");
    var label = el("label", "form-label", T.temperature_label);
    label.htmlFor = "offline-temperature";
    var temperature = el("input", "form-control form-control-lg");
    temperature.id = "offline-temperature"; temperature.name = "temperature"; temperature.type = "text";
    temperature.inputMode = "decimal"; temperature.autocomplete = "off"; temperature.placeholder = "36.5";
    group.appendChild(label); group.appendChild(temperature);
    form.appendChild(group);
    var codes = el("div", "mb-3");
    codes.setAttribute("role", "group");
    codes.appendChild(el("div", "form-label", T.health_code));
    var row = el("div", "d-flex gap-2");
    row.appendChild(radio("health_code", "green", T.green, true, "btn-outline-success"));
    row.appendChild(radio("health_code", "yellow", T.yellow, false, "btn-outline-warning"));
    row.appendChild(radio("health_code", "red", T.red, false, "btn-outline-danger"));
    codes.appendChild(row);
    form.appendChild(codes);
    if (config.vehicles) {
      var plateGroup = el("div", "mb-3");
      var plateLabel = el("label", "form-label", T.plate_label);
      plateLabel.htmlFor = "offline-plate";
      var plate = el("input", "form-control");
      plate.id = "offline-plate"; plate.name = "plate"; plate.maxLength = 10; plate.autocomplete = "off";
      plateGroup.appendChild(plateLabel); plateGroup.appendChild(plate);
      form.appendChild(plateGroup);
    }
    var error = el("div", "alert alert-danger py-2", "");
    error.id = "gate-offline-error"; error.hidden = true;
    form.appendChild(error);
    var buttons = el("div", "d-flex gap-2");
    [["in", T.in, "btn-primary"], ["out", T.out, "btn-secondary"]].forEach(function (d) {
      var b = el("button", "btn btn-lg flex-fill gate-direction " + d[2], d[1]);
      b.type = "submit"; b.name = "direction"; b.value = d[0]; b.id = "gate-offline-" + d[0];
      buttons.appendChild(b);
    });
    form.appendChild(buttons);
    var other = el("button", "btn btn-link mt-2", T.someone_else);
    other.type = "button";
    other.addEventListener("click", function () { clearServerParts(); $("gate-lookup").querySelector("input").focus(); });
    form.appendChild(other);
    form.dataset.resident = resident.id;
    form._person = { resident: resident, pass: passInfo };
    show(form, true);
    temperature.focus();
  }


  function keep(body, resident, passInfo) {
    var reasons = [];
    if (Number(body.temperature) >= Number(config.fever_at)) reasons.push(T.fever);
    if (body.health_code !== "green") reasons.push(T.code);
    if (resident && resident.monitored && body.direction === "out") reasons.push(T.monitored_out);
    var label = (resident ? resident.name : body.name) + " · " + (body.direction === "in" ? T.in : T.out) +
      " · " + body.temperature + "℃ · " + hhmm(body.recorded_at);
    var item = { client_uuid: body.client_uuid, user: config.user, body: body, label: label, status: "waiting" };
    if (passInfo) item.pass_household = passInfo.pass.household;
    return Store.put(item).then(renderQueue).then(function () {
      clearServerParts();
      var text = fmt(T.saved, { name: resident ? resident.name : "", direction: body.direction === "in" ? T.in : T.out, temperature: body.temperature });
      if (reasons.length) text += " " + fmt(T.alert_later, { reasons: reasons.join("、") });
      message(text, reasons.length ? "warning" : "success");
      var q = $("gate-lookup").querySelector("input[name=q]");
      q.value = "";
      q.focus();
    });
  }

  $("gate-offline-record").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.currentTarget;
    var direction = event.submitter ? event.submitter.value : "in";
    var figures = readFigures(form, direction);
    var error = $("gate-offline-error");
    var person = form._person;
    var at = new Date();
    var refusal = figures.error || (person.pass && direction === "out" ? quotaRefusal(person.pass.pass, at) : null);
    if (refusal) { error.textContent = refusal; error.hidden = false; return; }
    var body = {
      client_uuid: uuid(), checkpoint: config.checkpoint, resident: person.resident.id,
      direction: figures.direction, temperature: figures.temperature, health_code: figures.health_code,
      plate: figures.plate, recorded_at: at.toISOString(), pass_code: person.pass ? person.pass.code : ""
    };
    keep(body, person.resident, person.pass);
  });

  // The form the server rendered (a person chosen before the network dropped): its UUID was
  // made by the server when it showed the form, so a form sent twice is recorded once.
  function serverFormSubmit(event) {
    event.preventDefault();
    var form = event.currentTarget;
    var direction = event.submitter ? event.submitter.value : "in";
    if (!state.offline) { postServerForm(form, direction); return; }
    keepServerForm(form, direction);
  }

  // Online, the form goes to the server as it would without this script; if the network is
  // in fact gone (the browser still says online), the passage is kept in the queue instead.
  function postServerForm(form, direction) {
    var data = new FormData(form);
    data.set("direction", direction);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" }).then(function (response) {
      if (response.type === "opaqueredirect") { location.assign(location.pathname); return; }
      // Refused (the form's errors): sent again the usual way, to show the server's page. It
      // recorded nothing, and the form's UUID keeps a second send from recording twice.
      var field = document.createElement("input");
      field.type = "hidden"; field.name = "direction"; field.value = direction;
      form.appendChild(field);
      form.submit();
    }, function () {
      setOffline(true);
      keepServerForm(form, direction);
    });
  }

  function keepServerForm(form, direction) {
    var figures = readFigures(form, direction);
    if (figures.error) { message(figures.error, "danger"); return; }
    var id = Number(form.querySelector("[name=resident]").value);
    var data = usableBundle();
    var resident = data && data.residents.filter(function (r) { return r.id === id; })[0];
    var name = $("gate-person") ? $("gate-person").textContent : "";
    var passField = form.querySelector("[name=pass_code]");
    var body = {
      client_uuid: form.querySelector("[name=client_uuid]").value, checkpoint: config.checkpoint, resident: id,
      direction: figures.direction, temperature: figures.temperature, health_code: figures.health_code,
      plate: figures.plate, recorded_at: new Date().toISOString(), pass_code: passField ? passField.value : ""
    };
    keep(body, resident || { name: name, monitored: false }, null);
    // Sent again, the form is another passage.
    form.querySelector("[name=client_uuid]").value = uuid();
  }

  // ------------------------------------------------------------------ wiring
  // The browser's "offline" event may come after a tap made right as the network dropped:
  // a form asks navigator.onLine itself before it lets the page go to the server.
  function offlineNow() {
    if (!state.offline && navigator.onLine === false) setOffline(true);
    return state.offline;
  }
  $("gate-lookup").addEventListener("submit", function (event) {
    if (!offlineNow()) return;
    event.preventDefault();
    showFound(event.currentTarget.querySelector("input[name=q]").value);
  });
  var passForm = $("gate-pass");
  if (passForm) passForm.addEventListener("submit", function (event) {
    if (!offlineNow()) return;
    event.preventDefault();
    showPass(event.currentTarget.querySelector("input[name=pass]").value);
  });
  if ($("gate-record")) $("gate-record").addEventListener("submit", serverFormSubmit);
  $("gate-sync").addEventListener("click", function () { refreshBundle().then(sync); });
  document.querySelectorAll("form[action='" + config.logout_url + "']").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      // A shared phone keeps no one's list after they log out; the queue stays (it is sent
      // when its recorder logs in again). The log-out waits for the list to be gone.
      if (form.dataset.forgotten) return;
      event.preventDefault();
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage("forget-pages");
      }
      Store.forgetBundles().catch(function () {}).then(function () {
        form.dataset.forgotten = "1";
        form.submit();
      });
    });
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.worker_url, { scope: "/checkpoints/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (!state.offline && registration.active) registration.active.postMessage({ keep: location.pathname });
    }).catch(function () {});
  }
  Store.bundle(BUNDLE_KEY).then(function (kept) {
    state.bundle = kept || null;
    renderBundle();
    setOffline(state.offline);
    if (state.offline) {
      // Opened from the service worker's copy: do what the address asked for.
      var params = new URLSearchParams(location.search);
      if (params.get("q")) showFound(params.get("q"));
      else if (params.get("pass")) showPass(params.get("pass"));
    }
    return renderQueue();
  }).then(function () {
    window.setInterval(function () { refreshBundle().then(sync); }, RETRY_MS);
  });
})();
