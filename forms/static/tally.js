/* youthvoice tally page: instant taps that survive a dropped network.
 *
 * Without this script every +1 / -1 button is a form that posts and comes
 * back.  With it, a tap updates the count at once and joins a queue kept on
 * the device (localStorage); the queue is sent in order whenever the network
 * is there, each change with its own id, so a change sent twice (a retry
 * after a timeout) is counted once by the server.  "Set the total" forms
 * still post normally. */
(function () {
  'use strict';
  var page = document.querySelector('[data-event]');
  if (!page || !window.fetch || !window.localStorage) return;
  var eventId = page.getAttribute('data-event');
  var key = 'yv-tally-queue-' + eventId;
  var status = document.getElementById('tally-status');
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; }
  }
  function save(q) { localStorage.setItem(key, JSON.stringify(q)); }
  function newId() {
    var b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
  }
  function countOf(p, t) {
    return document.querySelector('#opt-' + p + '-' + t + ' .count');
  }
  function say(text) { if (status) status.textContent = text; }
  function pendingNote() {
    var n = load().length;
    say(n ? n + (n === 1 ? ' tap' : ' taps') + ' waiting to be sent' +
        (navigator.onLine ? '' : ' (no connection: they are kept on this device)') : 'All taps saved');
  }

  function flush() {
    var q = load();
    if (sending || !q.length) { pendingNote(); return; }
    sending = true;
    var c = q[0], settled = false;
    var body = new URLSearchParams({ _csrf: c.csrf, priority: c.priority, theme: c.theme,
                                     delta: c.delta, client_id: c.id });
    fetch('/staff/events/' + eventId + '/tally', {
      method: 'POST', body: body, credentials: 'same-origin',
      headers: { 'Accept': 'application/json' }
    }).then(function (r) {
      settled = r.ok || r.status === 409 || r.status === 400 || r.status === 403;
      if (settled) {
        /* Settled one way or the other: drop it from the queue. */
        save(load().filter(function (x) { return x.id !== c.id; }));
        if (r.ok) return r.json().then(function (j) { show(c.priority, c.theme, j.count); });
        say('A tap could not be saved (the event may be closed). Reload the page.');
      }
    }).catch(function () { /* offline: keep it, try again later */ })
      .then(function () {
        sending = false;
        /* Straight on to the next after a settled one; after a failure, wait
         * for the 5-second retry (or the browser saying it is online). */
        if (settled && load().length) setTimeout(flush, 50); else pendingNote();
      });
  }

  /* The server's count plus this device's taps still queued for the option. */
  function show(p, t, serverCount) {
    var el = countOf(p, t);
    if (!el) return;
    var pending = load().filter(function (x) { return x.priority === p && x.theme === t; })
      .reduce(function (s, x) { return s + Number(x.delta); }, 0);
    el.textContent = String(serverCount + pending);
  }

  document.querySelectorAll('form.tally-form').forEach(function (form) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var f = new FormData(form);
      var p = f.get('priority'), t = f.get('theme'), d = f.get('delta');
      var el = countOf(p, t);
      var now = el ? Number(el.textContent) : 0;
      if (now + Number(d) < 0) { say('The count cannot go below zero.'); return; }
      var q = load();
      q.push({ id: newId(), priority: p, theme: t, delta: d, csrf: f.get('_csrf') });
      save(q);
      if (el) el.textContent = String(now + Number(d));
      flush();
    });
  });
  window.addEventListener('online', flush);
  setInterval(function () { if (navigator.onLine) flush(); }, 5000);
  /* Taps queued before a reload are still owed to the counts shown. */
  load().forEach(function (x) {
    var el = countOf(x.priority, x.theme);
    if (el) el.textContent = String(Number(el.textContent) + Number(x.delta));
  });
  flush();
})();
