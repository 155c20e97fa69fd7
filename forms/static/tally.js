/* youthvoice tally page: nothing a youth worker taps is lost.
 *
 * Without this script every +1, -1 and "Set" is a form that posts and comes
 * back.  With it, a change (a tap, or a total set after counting stickers)
 * shows at once and is written to the tablet's IndexedDB, asking for a
 * strict (flushed to disk) transaction, before it is sent.  It stays there,
 * through reloads, a closed tab or the browser closing, until the server
 * acknowledges it (200 with the count); only that, or the server refusing it
 * for good (400, 404, 409 with a code in REFUSED; the page says why),
 * removes it.  Changes go
 * in the order they were made, one at a time, each with its own client id,
 * so one sent twice counts once.  The server's JSON answers drive the rest:
 * 401 means signed out (the bar says "Sign in again to send N taps" and the
 * page checks every few seconds, and when it is looked at again, for a new
 * session), 403 {"error":"csrf"} means a new session with a new token, which
 * GET .../csrf hands over.  Tabs of one event share the queue; a Web Lock
 * lets one of them send at a time.  docs/tally.md tells the youth worker. */
(function () {
  'use strict';
  var root = document.querySelector('.tally[data-event]');
  if (!root || !window.fetch || !window.indexedDB || !window.URLSearchParams) return;
  var eventId = root.getAttribute('data-event');
  var base = '/staff/events/' + eventId;
  var STORE = 'changes';
  var RETRY_MS = 3000, TIMEOUT_MS = 15000, ANNOUNCE_MS = 1000;
  /* The server's answers that refuse a change for good; anything else keeps it. */
  var REFUSED = { 'invalid': 1, 'no-event': 1, 'closed': 1, 'below-zero': 1, 'not-here': 1 };
  function $(id) { return document.getElementById(id); }
  var ui = { status: $('tally-status'), net: $('tally-net'), saved: $('tally-saved'),
             signin: $('tally-signin'), signinText: $('tally-signin-text'),
             problem: $('tally-problem'), announce: $('tally-announce'), bar: $('tally-bar') };
  var csrfField = document.querySelector('input[name="_csrf"]');
  var token = csrfField ? csrfField.value : '';
  var db = null;
  var waiting = [];        /* this event's changes on the device, in order */
  var writing = [];        /* changes made in this tab and not yet seen in a
                            * read of the device (shown() counts each id once) */
  var clock = 0;           /* orders writes against reads of the device */
  var server = {};         /* option key -> the server's last known count */
  var options = {};        /* option key -> its <li> */
  var online = navigator.onLine, signedOut = false, trouble = false;
  var sending = false, again = false, lastSaved = 0, count = 0;
  var savedKey = 'yv-tally-saved-' + eventId;
  var channel = window.BroadcastChannel ? new BroadcastChannel('yv-tally-' + eventId) : null;

  /* ---- the device's queue (IndexedDB) ---- */
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open('youthvoice-tally', 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true })
          .createIndex('event', 'event');
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
      req.onblocked = function () { reject(new Error('blocked')); };
    });
  }
  /* Runs fn(store) in one transaction; resolves once it is committed. */
  function tx(mode, fn) {
    return new Promise(function (resolve, reject) {
      var t = mode === 'readwrite' ? db.transaction(STORE, mode, { durability: 'strict' })
                                   : db.transaction(STORE, mode);
      var out = { value: undefined };
      t.oncomplete = function () { resolve(out.value); };
      t.onerror = t.onabort = function () { reject(t.error || new Error('storage')); };
      fn(t.objectStore(STORE), out);
    });
  }
  /* Reads the event's queue into waiting.  A change of this tab's that was
   * stored before the read began is in it, or has been settled since. */
  function refresh() {
    var mark = clock;
    return tx('readonly', function (s, out) {
      var r = s.index('event').getAll(eventId);
      r.onsuccess = function () { out.value = r.result; };
    }).then(function (q) {
      waiting = q.sort(function (a, b) { return a.seq - b.seq; });
      writing = writing.filter(function (w) { return !w.stored || w.stored > mark; });
      return waiting;
    });
  }
  function put(c) {
    return tx('readwrite', function (s, out) {
      var r = s.add(c);
      r.onsuccess = function () { out.value = r.result; };
    });
  }
  function remove(seq) { return tx('readwrite', function (s) { s['delete'](seq); }); }

  /* ---- what the page shows ---- */
  function keyOf(c) { return c.p + '/' + c.t; }
  function shown(key) {
    var n = server[key], seen = {};
    waiting.concat(writing).forEach(function (c) {
      if (seen[c.id] || keyOf(c) !== key) return;
      seen[c.id] = true;
      n = c.kind === 'total' ? c.value : n + c.value;
    });
    return n;
  }
  function nameOf(key) {
    var li = options[key], el = li && li.querySelector('.option-name');
    return el ? el.textContent : '';
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function described(q) {
    var taps = 0, totals = 0;
    q.forEach(function (c) { if (c.kind === 'total') totals++; else taps++; });
    var parts = [];
    if (taps || !totals) parts.push(plural(taps, 'tap', 'taps'));
    if (totals) parts.push(plural(totals, 'total', 'totals'));
    return parts.join(' and ');
  }
  function time(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }
  var lastAnnounced = '', announceTimer = 0;
  /* Screen readers hear changes of state, not every tap: the newest message
   * is read once things have been quiet for a second. */
  function announce(text) {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () {
      if (text === lastAnnounced) return;
      lastAnnounced = text;
      ui.announce.textContent = text;
    }, ANNOUNCE_MS);
  }
  function problem(text) {
    ui.problem.textContent = text;
    ui.problem.hidden = !text;
    if (text) announce(text);
  }
  function paint() {
    Object.keys(options).forEach(function (key) {
      options[key].querySelector('.count').textContent = String(shown(key));
    });
    var all = waiting.concat(writing.filter(function (c) {
      return !waiting.some(function (w) { return w.id === c.id; });
    }));
    count = all.length;
    ui.status.textContent = all.length ? described(all) + ' waiting to be sent.' : 'All changes saved.';
    ui.net.textContent = online ? 'Online.' : 'No connection: changes are kept on this tablet.';
    ui.saved.textContent = lastSaved ? 'Last saved at ' + time(lastSaved) + '.' : '';
    ui.signin.hidden = !(signedOut && all.length);
    ui.signinText.textContent = 'Sign in again to send ' + described(all) + '.';
    root.classList.toggle('is-offline', !online);
    root.classList.toggle('is-signed-out', signedOut && all.length > 0);
  }
  function setOnline(now) {
    if (online && !now) {
      trouble = true;
      announce('No connection. Changes are kept on this tablet and sent when it returns.');
    }
    online = now;
  }
  function setSignedOut(now) {
    if (now && !signedOut) {
      trouble = true;
      announce('Signed out. Sign in again to send ' + described(waiting.concat(writing)) + '.');
    }
    signedOut = now;
  }

  /* ---- talking to the server ---- */
  function request(url, init) {
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = ctl ? setTimeout(function () { ctl.abort(); }, TIMEOUT_MS) : 0;
    init.credentials = 'same-origin';
    init.redirect = 'manual';           /* a redirect to sign in is never success */
    init.cache = 'no-store';
    init.headers = { 'Accept': 'application/json' };
    if (ctl) init.signal = ctl.signal;
    return fetch(url, init).then(function (r) {
      clearTimeout(timer);
      setOnline(true);
      var json = /^application\/json/.test(r.headers.get('Content-Type') || '');
      return (json ? r.json() : Promise.resolve(null)).catch(function () { return null; })
        .then(function (j) { return { status: r.type === 'opaqueredirect' ? 401 : r.status, json: j }; });
    }, function () {
      clearTimeout(timer);
      setOnline(false);
      return null;
    });
  }
  /* A fresh token for the session that is now signed in ('' if none). */
  function freshToken() {
    return request(base + '/csrf', { method: 'GET' }).then(function (a) {
      if (!a) return '';
      if (a.status === 200 && a.json && /^[0-9a-f]{64}$/.test(a.json.csrf)) {
        token = a.json.csrf;
        document.querySelectorAll('input[name="_csrf"]').forEach(function (f) { f.value = token; });
        setSignedOut(false);
        return token;
      }
      if (a.status === 401) setSignedOut(true);
      return '';
    });
  }
  /* Sends one change: 'next' when it is settled, 'token' when a fresh token
   * is needed, 'stop' when it must wait (offline, signed out, server trouble). */
  function send(c) {
    var body = new URLSearchParams();
    body.set('_csrf', token);
    body.set('priority', c.p);
    body.set('theme', c.t);
    body.set('client_id', c.id);
    body.set(c.kind === 'total' ? 'total' : 'delta', String(c.value));
    return request(base + '/tally', { method: 'POST', body: body }).then(function (a) {
      if (!a) return 'stop';
      var j = a.json;
      if (a.status === 200 && j && typeof j.count === 'number') {
        return settle(c).then(function () {
          server[keyOf(c)] = j.count;
          lastSaved = Date.now();
          try { localStorage.setItem(savedKey, String(lastSaved)); } catch (e) { /* only a label */ }
          setSignedOut(false);
          return 'next';
        });
      }
      if (a.status === 401) { token = ''; setSignedOut(true); return 'stop'; }
      if (a.status === 403 && j && j.error === 'csrf') { token = ''; return 'token'; }
      if (j && REFUSED[j.error] && (a.status === 400 || a.status === 404 || a.status === 409 ||
                                    a.status === 413 || a.status === 415)) {
        return settle(c).then(function () {
          if (typeof j.count === 'number') server[keyOf(c)] = j.count;
          problem('A ' + (c.kind === 'total' ? 'total' : 'tap') + ' for ' + nameOf(keyOf(c)) +
                  ' was not saved: ' + (j.message || 'the server refused it.'));
          return 'next';
        });
      }
      return 'stop';
    });
  }
  /* Off the device, and out of this tab's own list. */
  function settle(c) {
    return remove(c.seq).then(function () {
      writing = writing.filter(function (w) { return w.id !== c.id; });
    });
  }
  function sendAll(freshTokens) {
    return refresh().then(function (q) {
      paint();
      if (!q.length) {
        if (trouble && online && !signedOut) { trouble = false; announce('All changes sent.'); }
        return;
      }
      var ready = token ? Promise.resolve(token) : freshToken();
      return ready.then(function (t) {
        if (!t) return;
        return send(q[0]).then(function (outcome) {
          if (outcome === 'next') return sendAll(freshTokens);
          if (outcome === 'token' && freshTokens < 2) return sendAll(freshTokens + 1);
        });
      });
    });
  }
  function flush() {
    if (!db) return;
    if (sending) { again = true; return; }
    sending = true;
    var run = function () { return sendAll(0); };
    var p = navigator.locks ? navigator.locks.request('yv-tally-send-' + eventId, run) : run();
    p.catch(function () { /* kept on the device; tried again soon */ }).then(function () {
      sending = false;
      paint();
      if (channel) channel.postMessage('changed');
      if (again) { again = false; flush(); }
    });
  }

  /* ---- a new change: on the device first, then sent ---- */
  function newId() {
    var b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
  }
  function keep(c, form, undo) {
    writing.push(c);
    paint();
    put(c).then(function (seq) {
      c.seq = seq;
      c.stored = ++clock;
      flush();
    }, function () {
      /* The tablet cannot keep it: post the form itself, as without script. */
      writing = writing.filter(function (w) { return w !== c; });
      paint();
      if (undo) undo();
      form.submit();
    });
  }
  function change(form, kind, value) {
    var f = new FormData(form);
    return { event: eventId, id: newId(), p: String(f.get('priority')), t: String(f.get('theme')),
             kind: kind, value: value, at: Date.now() };
  }
  function onTap(ev) {
    ev.preventDefault();
    var form = ev.currentTarget;
    var c = change(form, 'tap', Number(new FormData(form).get('delta')));
    var key = keyOf(c);
    if (shown(key) + c.value < 0) { problem('The count for ' + nameOf(key) + ' cannot go below zero.'); return; }
    problem('');
    keep(c, form);
  }
  function onTotal(ev) {
    ev.preventDefault();
    var form = ev.currentTarget, input = form.querySelector('input[name="total"]');
    var raw = input.value.trim(), err = form.querySelector('.error-message');
    if (!/^[0-9]{1,6}$/.test(raw) || Number(raw) > 100000) {
      if (!err) {
        err = document.createElement('p');
        err.className = 'error-message';
        err.id = input.id + '-error';
        err.textContent = 'Enter a whole number from 0 to 100000';
        input.parentNode.insertBefore(err, input);
      }
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', err.id);
      input.focus();
      return;
    }
    if (err) err.remove();
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
    var c = change(form, 'total', Number(raw));
    input.value = '';
    keep(c, form, function () { input.value = raw; });
    announce('Total for ' + nameOf(keyOf(c)) + ' set to ' + c.value + '.' +
             (!online ? ' It waits on this tablet until the connection returns.' :
              signedOut ? ' Sign in again to send it.' : ''));
  }

  /* Taps queued by the earlier version of this page, in localStorage. */
  function adoptOld() {
    var key = 'yv-tally-queue-' + eventId, old;
    try { old = JSON.parse(localStorage.getItem(key)) || []; } catch (e) { old = []; }
    if (!old.length) return Promise.resolve();
    return Promise.all(old.map(function (x) {
      return put({ event: eventId, id: String(x.id), p: String(x.priority), t: String(x.theme),
                   kind: 'tap', value: Number(x.delta), at: 0 });
    })).then(function () { localStorage.removeItem(key); });
  }

  /* The sticky bar must not hide what a jump or a Tab lands on. */
  function barHeight() {
    var h = Math.ceil(ui.bar.getBoundingClientRect().height) + 8;
    document.documentElement.style.setProperty('--tally-bar', h + 'px');
  }

  document.querySelectorAll('.option[id^="opt-"]').forEach(function (li) {
    var id = li.id.slice(4), dash = id.indexOf('-');
    var key = id.slice(0, dash) + '/' + id.slice(dash + 1);
    options[key] = li;
    server[key] = Number(li.querySelector('.count').textContent) || 0;
  });
  try { lastSaved = Number(localStorage.getItem(savedKey)) || 0; } catch (e) { lastSaved = 0; }
  openDb().then(function (d) {
    db = d;
    db.onversionchange = function () { db.close(); db = null; };
    return adoptOld();
  }).then(function () {
    document.querySelectorAll('form.tally-form').forEach(function (f) { f.addEventListener('submit', onTap); });
    document.querySelectorAll('form.set-total').forEach(function (f) { f.addEventListener('submit', onTotal); });
    window.addEventListener('online', flush);
    window.addEventListener('offline', function () { setOnline(false); paint(); });
    window.addEventListener('focus', flush);
    window.addEventListener('pageshow', flush);
    document.addEventListener('visibilitychange', function () { if (!document.hidden) flush(); });
    if (channel) channel.onmessage = function () { if (!sending) refresh().then(paint); };
    setInterval(function () { if (count) flush(); }, RETRY_MS);
    flush();
  }, function () {
    /* No storage on this device: the buttons stay plain forms. */
  });
  barHeight();
  if (window.ResizeObserver) new ResizeObserver(barHeight).observe(ui.bar);
})();
