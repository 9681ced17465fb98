/* Kiosk mode on a shared tablet (feedback/kiosks.py explains the server side).
 *
 * The start page asks once for the device code, keeps it in IndexedDB (the tablet's
 * credential: no account and no cookie), registers the service worker and caches the
 * survey in all its languages. The survey page queues each finished response in IndexedDB
 * under a key made here (crypto.randomUUID) and goes back to the language choice; the
 * queue is sent to the sync endpoint whenever the tablet is online. The server stores a
 * key once, so sending again after a lost answer doubles nothing. Without JavaScript none
 * of this runs and the pages are the plain respondent form. */
(function () {
  "use strict";

  var BATCH = 50;
  /* How often a waiting queue is tried again. The "online" event is not enough: a page
   * loaded from the service worker while offline may already say navigator.onLine (Chromium
   * 150 does), so no event comes when the connection returns. An empty queue sends nothing. */
  var RETRY_MS = 10000;

  function openDatabase() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("inclusion-kiosk", 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        var queue = db.createObjectStore("queue", { keyPath: "key" });
        queue.createIndex("survey", "survey");
        db.createObjectStore("settings");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function transact(store, mode, work) {
    return openDatabase().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result = work(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function getSetting(name) { return transact("settings", "readonly", function (s) { return s.get(name); }); }
  function setSetting(name, value) { return transact("settings", "readwrite", function (s) { s.put(value, name); }); }
  function deleteSetting(name) { return transact("settings", "readwrite", function (s) { s.delete(name); }); }
  function queued(token) {
    return transact("queue", "readonly", function (s) { return s.index("survey").getAll(token); });
  }
  function enqueue(item) { return transact("queue", "readwrite", function (s) { s.put(item); }); }
  function forget(keys) {
    return transact("queue", "readwrite", function (s) { keys.forEach(function (key) { s.delete(key); }); });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function post(url, code, responses) {
    return fetch(url, {
      method: "POST",
      credentials: "omit",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "Authorization": "Kiosk " + code },
      body: JSON.stringify({ responses: responses })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }

  /* Send the queue in batches. Resolves to null when all went (or there was nothing), to
   * {code, message} when the server refused the device or the survey (the queue is kept),
   * and rejects on a network error (try again later). */
  function sendQueue(token, syncUrl) {
    return getSetting("code:" + token).then(function (code) {
      if (!code) { return null; }
      return queued(token).then(function (items) {
        var pending = items.filter(function (item) { return !item.rejected; });
        function next() {
          if (!pending.length) { return null; }
          var batch = pending.splice(0, BATCH);
          var payload = batch.map(function (item) {
            return { key: item.key, language: item.language, answers: item.answers };
          });
          return post(syncUrl, code, payload).then(function (result) {
            if (result.status !== 200) {
              var error = result.body.error || { code: "error", message: "" };
              if (result.status === 429 || result.status >= 500) { throw new Error(error.code); }
              return error;
            }
            var done = result.body.stored.concat(result.body.duplicates);
            var rejected = result.body.rejected || [];
            var work = forget(done);
            rejected.forEach(function (entry) {
              batch.forEach(function (item) {
                if (item.key === entry.key) { item.rejected = entry.error; work = work.then(function () { return enqueue(item); }); }
              });
            });
            return work.then(function () {
              return result.body.stored.length ? setSetting("last:" + token, Date.now()) : null;
            }).then(next);
          });
        }
        return next();
      });
    });
  }

  function idleReset(seconds, start) {
    var timer;
    function arm() {
      clearTimeout(timer);
      timer = setTimeout(function () { location.replace(start); }, seconds * 1000);
    }
    ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
      document.addEventListener(name, arm, { passive: true });
    });
    arm();
  }

  function answersOf(form) {
    var answers = {};
    var filled = false;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !/^q\d+$/.test(field.name)) { return; }
      if (field.type === "checkbox") {
        answers[field.name] = answers[field.name] || [];
        if (field.checked) { answers[field.name].push(field.value); filled = true; }
      } else if (field.type === "radio") {
        if (field.checked) { answers[field.name] = field.value; filled = true; }
      } else if (field.value.trim()) {
        answers[field.name] = field.value;
        filled = true;
      }
    });
    return filled ? answers : null;
  }

  function showFormError(form, message) {
    var box = document.querySelector("[data-kiosk-form-error]");
    if (!box) {
      box = document.createElement("div");
      box.className = "error-summary";
      box.setAttribute("role", "alert");
      box.setAttribute("tabindex", "-1");
      box.setAttribute("data-kiosk-form-error", "");
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = message;
    box.focus();
  }

  function surveyPage(form) {
    var token = form.dataset.token;
    var start = form.dataset.start;
    getSetting("code:" + token).then(function (code) {
      if (!code) { location.replace(start); }
    });
    idleReset(Number(form.dataset.idleSeconds), start);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = answersOf(form);
      if (!answers) { showFormError(form, form.dataset.emptyMessage); return; }
      var item = { key: newKey(), survey: token, language: form.dataset.language, answers: answers, queued_at: Date.now() };
      enqueue(item).then(function () {
        // Back to the language choice at once; the start page sends the queue.
        location.replace(start + "#sent");
      }, function () {
        // No storage on this browser (a private window): send it as the plain form does.
        form.submit();
      });
    });
  }

  function startPage(root) {
    var token = root.dataset.token;
    var syncUrl = root.dataset.sync;
    var codeForm = root.querySelector("[data-kiosk-code-form]");
    var languages = root.querySelector("[data-kiosk-languages]");
    var status = root.querySelector("[data-kiosk-status]");
    var errorBox = root.querySelector("[data-kiosk-error]");
    var lang = document.documentElement.lang;
    var sending = false;

    function showError(message) {
      errorBox.textContent = message || "";
      errorBox.hidden = !message;
    }

    function refresh() {
      return Promise.all([queued(token), getSetting("last:" + token)]).then(function (values) {
        root.querySelector("[data-kiosk-waiting]").textContent = String(values[0].length);
        var last = root.querySelector("[data-kiosk-last]");
        if (values[1]) {
          last.dateTime = new Date(values[1]).toISOString();
          last.textContent = new Date(values[1]).toLocaleString(lang);
        }
        root.dataset.waiting = String(values[0].length);
      });
    }

    function trySend() {
      if (sending || !navigator.onLine) { return Promise.resolve(); }
      sending = true;
      return sendQueue(token, syncUrl).then(function (error) {
        showError(error ? error.message : "");
      }, function () { /* offline or busy: the queue waits */ }).then(function () {
        sending = false;
        return refresh();
      });
    }

    function cacheSurvey() {
      if (!("caches" in window) || !navigator.onLine) { return Promise.resolve(); }
      var urls = root.dataset.cache.split(" ").filter(Boolean);
      return caches.open("inclusion-kiosk").then(function (cache) { return cache.addAll(urls); });
    }

    function ready() {
      codeForm.hidden = true;
      languages.hidden = false;
      status.hidden = false;
      var worker = "serviceWorker" in navigator
        ? navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).then(function () {
            return navigator.serviceWorker.ready;
          })
        : Promise.resolve();
      worker.then(cacheSurvey).catch(function () {}).then(function () {
        root.dataset.offlineReady = "true";
      });
      refresh().then(trySend);
      window.addEventListener("online", trySend);
      setInterval(trySend, RETRY_MS);
    }

    root.querySelector("[data-kiosk-export]").addEventListener("click", function () {
      queued(token).then(function (items) {
        var blob = new Blob([JSON.stringify({ survey: token, responses: items }, null, 2)], { type: "application/json" });
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = "kiosk-" + token + "-" + new Date().toISOString().slice(0, 10) + ".json";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    });

    codeForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var code = codeForm.elements.code.value.trim();
      var codeError = codeForm.querySelector("[data-kiosk-code-error]");
      post(syncUrl, code, []).then(function (result) {
        if (result.status === 200) {
          codeError.hidden = true;
          return setSetting("code:" + token, code).then(ready);
        }
        codeError.textContent = (result.body.error || {}).message || String(result.status);
        codeError.hidden = false;
      }, function () {
        codeError.textContent = codeForm.dataset.offlineMessage || "…";
        codeError.hidden = false;
      });
    });

    if (location.hash === "#sent") {
      var thanks = root.querySelector("[data-kiosk-thanks]");
      thanks.hidden = false;
      history.replaceState(null, "", location.pathname);
      setTimeout(function () { thanks.hidden = true; }, 5000);
    }

    getSetting("code:" + token).then(function (code) {
      if (code) {
        ready();
      } else {
        languages.hidden = true;
        codeForm.hidden = false;
        root.dataset.offlineReady = "false";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-kiosk-start]");
    if (root) { startPage(root); }
    var form = document.querySelector("[data-kiosk-form]");
    if (form) { surveyPage(form); }
  });
})();
