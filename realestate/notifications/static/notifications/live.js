/* Live updates of the admin (realestate/notifications/live.py): one WebSocket per page to
 * /ws/notifications/ (the admin session), feeding the header's bell (unread count, list) and
 * long jobs' progress bars ("live:progress" events, see admin/includes/progress_bar.html).
 * Without the socket (closed, or a WSGI server: no socket path) the bell polls its count every 30 s and
 * progress bars keep polling their own URL. Loaded on every admin page (UNFOLD["SCRIPTS"]);
 * does nothing on pages without the bell (the login page). */
(function () {
  "use strict";

  // connected: the socket is open; crossProcess: the jobs' messages reach it too (Redis), so
  // progress bars need not poll often.
  var live = (window.realestateLive = { connected: false, crossProcess: false });
  var POLL_MS = 30000;
  var bell, badge, list, retry = 1000, pollTimer = null, count = null;

  function setCount(value) {
    if (!badge) return;
    var bumped = count !== null && value > count;
    count = value;
    badge.textContent = value > 99 ? "99+" : String(value);
    badge.hidden = value === 0;
    bell.dataset.unread = String(value);
    if (bumped) {
      badge.classList.remove("is-bumped");
      void badge.offsetWidth; // restart the animation
      badge.classList.add("is-bumped");
    }
  }

  function isOpen() {
    var panel = bell.querySelector("[data-bell-panel]");
    return panel && panel.style.display !== "none" && panel.offsetParent !== null;
  }

  function loadList() {
    var url = bell.dataset.recentUrl + "?next=" + encodeURIComponent(location.pathname + location.search);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        var header = response.headers.get("X-Unread-Count");
        if (header !== null) setCount(parseInt(header, 10));
        return response.text();
      })
      .then(function (html) { list.innerHTML = html; })
      .catch(function () {});
  }

  function pollCount() {
    fetch(bell.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) setCount(body.count); })
      .catch(function () {});
  }

  function startPolling() {
    if (pollTimer !== null) return;
    pollCount();
    pollTimer = setInterval(pollCount, POLL_MS);
  }

  function stopPolling() {
    if (pollTimer !== null) { clearInterval(pollTimer); pollTimer = null; }
  }

  function onMessage(event) {
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (message.type === "unread") {
      setCount(message.count);
      // An in-memory channel layer (no REDIS_URL) hears nothing of the job processes: keep
      // polling slowly beside the socket.
      if (message.cross_process === false) startPolling();
      if (typeof message.cross_process === "boolean") live.crossProcess = message.cross_process;
      if (message.item && isOpen()) loadList();
      window.dispatchEvent(new CustomEvent("live:unread", { detail: message }));
    } else if (message.type === "progress") {
      window.dispatchEvent(new CustomEvent("live:progress", { detail: message }));
    }
  }

  function connect() {
    if (!("WebSocket" in window) || !bell.dataset.socketPath) { startPolling(); return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new WebSocket(scheme + location.host + bell.dataset.socketPath);
    } catch (e) {
      startPolling();
      return;
    }
    socket.onopen = function () {
      live.connected = true;
      retry = 1000;
      stopPolling();
    };
    socket.onmessage = onMessage;
    socket.onclose = function (event) {
      live.connected = false;
      startPolling();
      if (event.code === 4401) return; // signed out: the next page asks for a login anyway
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  function start() {
    bell = document.getElementById("notification-bell");
    if (!bell) return;
    badge = bell.querySelector("[data-bell-count]");
    list = bell.querySelector("[data-bell-list]");
    bell.querySelector("[data-bell-toggle]").addEventListener("click", function () {
      // Alpine toggles the panel; load the list each time it opens.
      setTimeout(function () { if (isOpen()) loadList(); }, 0);
    });
    connect();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
