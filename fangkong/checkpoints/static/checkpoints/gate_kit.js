// The gate page's small tools without state (gate_offline.js uses them): message formatting,
// elements, UUIDs, the CSRF token, dates, the server's refusal as a sentence, the SHA-256 a
// pass is named by in the offline list, and the figures of a passage read from its form.
(function (root) {
  "use strict";
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function localDay(date) {
    var d = date || new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function hhmm(iso) {
    var d = new Date(iso);
    return String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0") + " " +
      String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function reasonOf(errors) {
    var texts = [];
    (function walk(value) {
      if (typeof value === "string") texts.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") Object.keys(value).forEach(function (k) { walk(value[k]); });
    })(errors);
    return texts.join(" ");
  }

  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (x) { return (x + 256).toString(16).slice(1); }).join("");
    });
  }

  function radio(name, value, label, checked, className) {
    var wrap = document.createDocumentFragment();
    var input = el("input", "btn-check");
    input.type = "radio"; input.name = name; input.value = value; input.id = "offline-code-" + value;
    input.autocomplete = "off"; input.checked = checked;
    var tag = el("label", "btn btn-lg flex-fill gate-code " + className, label);
    tag.htmlFor = input.id;
    wrap.appendChild(input); wrap.appendChild(tag);
    return wrap;
  }

  function readFigures(form, direction, T) {
    var value = (form.querySelector("[name=temperature]").value || "").trim().replace("，", ".");
    var number = Number(value);
    if (!/^\d{2}(\.\d)?$/.test(value) || number < 34 || number > 43) return { error: T.temperature };
    var plateField = form.querySelector("[name=plate]");
    var plate = plateField ? plateField.value.replace(/\s+/g, "").toUpperCase() : "";
    if (plate.length > 10) return { error: T.plate };
    var code = form.querySelector("[name=health_code]:checked");
    return { temperature: number.toFixed(1), health_code: code ? code.value : "green", plate: plate, direction: direction };
  }

  root.GateKit = { fmt: fmt, el: el, uuid: uuid, csrf: csrf, localDay: localDay, hhmm: hhmm, reasonOf: reasonOf, sha256: sha256, radio: radio, readFigures: readFigures };
})(window);
