// The visitor form of a gate with no network: the visitor's passage is kept in the gate's
// queue (gate_store.js) with the form's UUID and the time it happened, and uploaded from the
// gate page (gate_offline.js). The server checks the ID number and everything else then; a
// refusal is shown in the gate page's refused list with its reason.
(function () {
  "use strict";
  var K = window.GateKit;
  var box = document.getElementById("gate-visitor-offline");
  var form = document.getElementById("gate-visitor-form");
  if (!box || !form) return;
  var d = box.dataset;
  var T = { temperature: d.temperature, plate: d.plate };
  var banner = document.getElementById("gate-visitor-offline-banner");
  var said = document.getElementById("gate-visitor-offline-message");
  var offline = !navigator.onLine;
  function setOffline(value) { offline = value; banner.hidden = !value; }
  window.addEventListener("offline", function () { setOffline(true); });
  window.addEventListener("online", function () { setOffline(false); });
  setOffline(offline);

  function value(name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.value.trim() : "";
  }
  function refuse(text) {
    said.className = "alert alert-danger py-2";
    said.textContent = text;
    said.hidden = false;
  }

  function keep(direction) {
    var figures = K.readFigures(form, direction, T);
    if (figures.error) return refuse(figures.error);
    if (!value("name")) return refuse(d.name);
    if (!value("id_number")) return refuse(d.idNumber);
    var household = value("household");
    var at = new Date();
    var uuidField = form.querySelector("[name=client_uuid]");
    var body = {
      client_uuid: uuidField.value, checkpoint: Number(d.checkpoint), direction: figures.direction,
      temperature: figures.temperature, health_code: figures.health_code, plate: figures.plate,
      recorded_at: at.toISOString(),
      visitor: {
        name: value("name"), id_number: value("id_number"), phone: value("phone"),
        reason: value("reason"), household: household ? Number(household) : null
      }
    };
    var shown = direction === "in" ? d.in : d.out;
    var label = body.visitor.name + " · " + shown + " · " + body.temperature + "℃ · " + K.hhmm(body.recorded_at);
    var item = { client_uuid: body.client_uuid, user: Number(d.user), body: body, label: label, status: "waiting" };
    return window.GateStore.put(item).then(function () {
      said.className = "alert alert-success py-2";
      said.textContent = K.fmt(d.saved, { name: body.visitor.name, direction: shown, temperature: body.temperature });
      said.hidden = false;
      // The next visitor is another passage: a new UUID, empty fields.
      uuidField.value = K.uuid();
      ["name", "id_number", "phone", "reason", "temperature", "plate"].forEach(function (name) {
        var field = form.querySelector("[name=" + name + "]");
        if (field) field.value = "";
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var direction = event.submitter ? event.submitter.value : "in";
    if (offline) { keep(direction); return; }
    var data = new FormData(form);
    data.set("direction", direction);
    fetch(form.action || location.href, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" }).then(function (response) {
      if (response.type === "opaqueredirect") { location.assign(d.gate); return; }
      // Refused (the form's errors): sent again the usual way to show the server's page; the
      // form's UUID keeps a second send from recording twice.
      var field = document.createElement("input");
      field.type = "hidden"; field.name = "direction"; field.value = direction;
      form.appendChild(field);
      form.submit();
    }, function () {
      setOffline(true);
      keep(direction);
    });
  });
})();
