// お知らせ Web Push: 「この端末で通知を受け取る」. The section stays hidden where the browser
// has no Push API (then the e-mail form and the feeds are the ways to follow notices).
// Subscribes with the city's VAPID key through the service worker /notices-sw.js, then
// posts the PushSubscription (JSON, CSRF token in the header) to the site, which checks it.
(function () {
  "use strict";
  var section = document.getElementById("notice-push");
  if (!section) { return; }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return;
  }
  var data = section.dataset;
  var form = section.querySelector("[data-push-form]");
  var subscribeButton = section.querySelector("[data-push-subscribe]");
  var stopButton = section.querySelector("[data-push-unsubscribe]");
  var status = section.querySelector("[data-push-status]");
  section.hidden = false;

  function say(text) { status.textContent = text; }

  function keyBytes(base64url) {
    var padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function sameKey(subscription) {
    var key = subscription.options && subscription.options.applicationServerKey;
    if (!key) { return true; }
    var mine = keyBytes(data.key);
    var theirs = new Uint8Array(key);
    if (mine.length !== theirs.length) { return false; }
    for (var i = 0; i < mine.length; i++) { if (mine[i] !== theirs[i]) { return false; } }
    return true;
  }

  function post(url, body) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) { throw new ServerError(answer.message || data.msgServer); }
        return answer;
      });
    });
  }

  function ServerError(message) { this.message = message; }

  function checked(name) {
    return Array.prototype.map.call(
      form.querySelectorAll("input[name=" + name + "]:checked"), function (input) { return input.value; });
  }

  function showSubscribed(on) {
    stopButton.hidden = !on;
  }

  function registration() {
    return navigator.serviceWorker.register(data.worker, { scope: data.scope });
  }

  function subscribe(event) {
    event.preventDefault();
    subscribeButton.disabled = true;
    say(data.msgWorking);
    var permission = Notification.permission === "granted"
      ? Promise.resolve("granted") : Notification.requestPermission();
    permission.then(function (answer) {
      if (answer === "default") { throw new ServerError(data.msgDismissed); }
      if (answer !== "granted") { throw new ServerError(data.msgDenied); }
      return registration();
    }).then(function (reg) {
      return reg.pushManager.getSubscription().then(function (old) {
        // A subscription made with an earlier key of the city no longer works: replace it.
        if (old && !sameKey(old)) { return old.unsubscribe().then(function () { return null; }); }
        return old;
      }).then(function (old) {
        return old || reg.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(data.key),
        });
      });
    }).then(function (subscription) {
      return post(data.subscribe, {
        subscription: subscription.toJSON(),
        categories: checked("categories"),
        districts: checked("districts"),
      });
    }).then(function (answer) {
      say(answer.message || data.msgSubscribed);
      showSubscribed(true);
    }).catch(function (error) {
      if (error instanceof ServerError) { say(error.message); }
      else if (error && error.name === "NotAllowedError") { say(data.msgDenied); }
      else { say(data.msgFailed); }
    }).then(function () { subscribeButton.disabled = false; });
  }

  function unsubscribe() {
    stopButton.disabled = true;
    navigator.serviceWorker.getRegistration(data.scope).then(function (reg) {
      return reg ? reg.pushManager.getSubscription() : null;
    }).then(function (subscription) {
      if (!subscription) { return null; }
      var json = subscription.toJSON();
      return post(data.unsubscribe, { endpoint: json.endpoint, auth: json.keys && json.keys.auth })
        .then(function () { return subscription.unsubscribe(); });
    }).then(function () {
      say(data.msgStopped);
      showSubscribed(false);
    }).catch(function (error) {
      say(error instanceof ServerError ? error.message : data.msgFailed);
    }).then(function () { stopButton.disabled = false; });
  }

  form.addEventListener("submit", subscribe);
  stopButton.addEventListener("click", unsubscribe);
  navigator.serviceWorker.getRegistration(data.scope).then(function (reg) {
    return reg ? reg.pushManager.getSubscription() : null;
  }).then(function (subscription) {
    if (subscription && sameKey(subscription) && Notification.permission === "granted") {
      showSubscribed(true);
      say(data.msgSubscribed);
    }
  }).catch(function () { /* nothing to show */ });
})();
