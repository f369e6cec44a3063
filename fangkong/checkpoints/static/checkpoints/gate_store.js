// The gate's storage on the phone (IndexedDB "fangkong-gate"): the queue of passages waiting
// to be uploaded, keyed by their client UUID, and the offline bundle of each checkpoint.
// Nothing leaves the queue but what the server answered as recorded ("created" or
// "existing"): see gate_offline.js.
(function (root) {
  "use strict";
  var NAME = "fangkong-gate";
  var opened = null;

  function open() {
    if (opened) return opened;
    opened = new Promise(function (resolve, reject) {
      var request = indexedDB.open(NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "client_uuid" });
        if (!db.objectStoreNames.contains("bundles")) db.createObjectStore("bundles", { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { opened = null; reject(request.error); };
    });
    return opened;
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
        var answer = work(tx.objectStore(store));
        if (answer) answer.onsuccess = function () { result = answer.result; };
      });
    });
  }

  root.GateStore = {
    queued: function () { return run("queue", "readonly", function (s) { return s.getAll(); }); },
    put: function (item) { return run("queue", "readwrite", function (s) { s.put(item); }); },
    putAll: function (items) {
      return run("queue", "readwrite", function (s) { items.forEach(function (i) { s.put(i); }); });
    },
    remove: function (uuids) {
      return run("queue", "readwrite", function (s) { uuids.forEach(function (u) { s.delete(u); }); });
    },
    bundle: function (key) { return run("bundles", "readonly", function (s) { return s.get(key); }); },
    keepBundle: function (record) { return run("bundles", "readwrite", function (s) { s.put(record); }); },
    forgetBundles: function () { return run("bundles", "readwrite", function (s) { s.clear(); }); }
  };
})(typeof self !== "undefined" ? self : window);
