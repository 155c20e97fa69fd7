// kiosk.js - a survey on a shared tablet (survey-server/kiosk.c, docs/kiosk.md).
//
// Each person's answers are checked here (the same rules the server applies
// again), then sealed on the device with libsodium (crypto_box_seal to the
// kiosk transport key the page names, padded to one size for the survey),
// kept in localStorage only as that sealed box, and the form starts afresh.
// The boxes are sent one by one, each with an id made here, until the server
// acknowledges it: only its answer (200, or a refusal that no resend can
// change) removes a box from the device, and the server stores an id once.
// The kiosk's token comes in the link's #k=... and stays on this device;
// no staff sign-in is needed.
(function () {
  'use strict';
  var form = document.getElementById('kiosk-form');
  var statusEl = document.getElementById('kiosk-status');
  if (!form || !statusEl) return;
  var thanks = document.getElementById('kiosk-thanks');
  var nextBox = document.getElementById('kiosk-next-box');
  var nextButton = document.getElementById('kiosk-next');
  var main = document.getElementById('main');
  var survey = location.pathname.split('/')[2];
  var QUEUE = 'yv-kiosk-answers:';             // + id: {"s": survey, "b": box, base64url}
  var TOKEN = 'yv-kiosk-token:' + survey;
  var RETRY_MS = 5000;
  var key = null, token = null, sending = false, off = false, closed = false;
  var dropped = 0, online = navigator.onLine, retry = null, hiddenForThanks = [];

  // The token from a kiosk link's #k=..., kept on this device; the address
  // bar and the history keep no copy.  A new link opened on a kiosk that
  // was switched off takes over (and sends what the old one kept).
  function takeToken() {
    var found = /^#k=([0-9a-f]{64})$/.exec(location.hash);
    try {
      if (found) localStorage.setItem(TOKEN, found[1]);
      token = localStorage.getItem(TOKEN);
    } catch (e) { token = null; }
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    if (found) { off = false; closed = false; form.hidden = false; }
  }
  takeToken();

  function b64() { return sodium.base64_variants.URLSAFE_NO_PADDING; }

  function queued() {
    var ids = [];
    for (var i = 0; i < localStorage.length; i++) {
      var k = localStorage.key(i);
      if (k && k.indexOf(QUEUE) === 0) ids.push(k);
    }
    return ids.sort().filter(function (k) {
      try { return JSON.parse(localStorage.getItem(k)).s === survey; } catch (e) { return false; }
    });
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function update() {
    var n = 0, t;
    try { n = queued().length; } catch (e) { n = 0; }
    if (!token) {
      t = 'This tablet is not set up as a kiosk: a youth worker starts one on the staff pages, under Kiosks.';
    } else if (!key) {
      t = 'Starting the kiosk\u2026';
    } else if (off) {
      t = 'This kiosk has been switched off.' + (n ? ' ' + plural(n, 'answer waits', 'answers wait') +
          ' on this tablet, locked: start a new kiosk for this survey on it to send them.' : '');
    } else if (closed) {
      t = 'The survey has closed, so it takes no more answers.' + (n ? ' ' + plural(n, 'answer waits', 'answers wait') +
          ' on this tablet, locked.' : '');
    } else if (n) {
      t = plural(n, 'answer', 'answers') + ' waiting to send, locked on this tablet. ' +
          (online ? 'Sending\u2026' : 'No connection: they are sent when it is back.');
    } else {
      t = 'Kiosk ready. All answers sent.';
    }
    if (dropped) t += ' ' + plural(dropped, 'answer', 'answers') + ' could not be used.';
    if (statusEl.textContent !== t) statusEl.textContent = t;
  }

  function schedule() {
    clearTimeout(retry);
    if (!off && !closed && queued().length) retry = setTimeout(flush, RETRY_MS);
  }

  // Sends what waits, oldest id first, one at a time.
  async function flush() {
    if (sending || off || closed || !token || !key) return update();
    sending = true;
    try {
      var ids = queued();
      for (var i = 0; i < ids.length; i++) {
        var item = JSON.parse(localStorage.getItem(ids[i]) || 'null');
        if (!item) continue;
        var r;
        try {
          r = await fetch('/k/' + survey + '/answers', {
            method: 'POST', credentials: 'omit', cache: 'no-store',
            headers: { 'Content-Type': 'application/octet-stream', 'X-Kiosk-Token': token,
                       'X-Kiosk-Answer-Id': ids[i].slice(QUEUE.length) },
            body: sodium.from_base64(item.b, b64()),
          });
        } catch (e) {
          online = false;
          break;
        }
        online = true;
        if (r.status === 200) {
          localStorage.removeItem(ids[i]);
        } else if (r.status === 400 || r.status === 413 || r.status === 415 || r.status === 422) {
          localStorage.removeItem(ids[i]);  // no resend can make these usable
          dropped++;
        } else if (r.status === 401) {
          off = true;
          break;
        } else if (r.status === 403) {
          var why = await r.json().catch(function () { return {}; });
          if (why.error === 'closed') closed = true; else off = true;
          break;
        } else {
          break;  // busy (429, 503): later
        }
        update();
      }
    } finally {
      sending = false;
    }
    update();
    schedule();
  }

  // ---- checking the answers, as form_answers_read does ----

  function groups() { return Array.prototype.slice.call(form.querySelectorAll('[data-q]')); }
  function blank(v) { return v === null || v === undefined || /^\s*$/.test(v); }

  function chosen(g) {
    return Array.prototype.slice.call(g.querySelectorAll('input[type=radio]:checked, input[type=checkbox]:checked'))
      .map(function (i) { return i.value; });
  }
  function otherText(g) {
    var o = g.querySelector('input[name$=".other"]');
    return o && !blank(o.value) ? o.value : null;
  }
  // A ranked ballot's lists, first choice first ("" where none is chosen).
  function ranks(g) {
    return Array.prototype.slice.call(g.querySelectorAll('select')).map(function (s) { return s.value; });
  }
  // check_ranks (form_answers.c): no choice after a gap, no issue twice.
  function rankProblem(g) {
    var r = ranks(g), i, j;
    for (i = 1; i < r.length; i++) if (r[i] && !r[i - 1]) return g.dataset.order;
    for (i = 1; i < r.length; i++) for (j = 0; r[i] && j < i; j++) if (r[i] === r[j]) return g.dataset.same;
    return null;
  }
  // The options a question counts as chosen ("something else" implied by its box).
  function answer(g) {
    if (g.dataset.kind === 'ranked') return ranks(g).filter(function (v) { return v; });
    var c = chosen(g), o = otherText(g);
    if (o && g.dataset.kind === 'multiple' && c.indexOf('other') < 0) c.push('other');
    if (o && g.dataset.kind === 'choice' && !c.length) c.push('other');
    return c;
  }
  function shown(g, byId) {
    if (!g.dataset.showIf) return true;
    var parts = g.dataset.showIf.split(' '), c = byId[parts[0]];
    return !!c && shown(c, byId) && answer(c).indexOf(parts[1]) >= 0;
  }
  function chars(s) { return Array.from(s.replace(/\r\n?/g, '\n')).length; }

  function check() {
    var byId = {}, errors = [];
    groups().forEach(function (g) { byId[g.dataset.q] = g; });
    groups().forEach(function (g) {
      if (!shown(g, byId)) return;
      var d = g.dataset, text = g.querySelector('textarea'), c = answer(g), msg = null;
      if (d.kind === 'ranked' && rankProblem(g)) msg = rankProblem(g);
      else if (d.kind === 'choice' && otherText(g) && chosen(g).length && chosen(g)[0] !== 'other') msg = d.otherWrong;
      else if (d.kind === 'text' ? blank(text.value) : !c.length) msg = d.required !== undefined ? d.missing : null;
      else if (d.kind === 'multiple' && d.maxChoices && c.length > +d.maxChoices) msg = d.tooMany.replace('{n}', c.length);
      else if (d.kind === 'text' && chars(text.value) > +d.max) msg = d.tooLong.replace('{n}', chars(text.value));
      if (msg) errors.push({ g: g, msg: msg });
    });
    return errors;
  }

  function clearErrors() {
    form.querySelectorAll('.kiosk-error').forEach(function (e) { e.remove(); });
    groups().forEach(function (g) {
      g.classList.remove('group-error');
      g.querySelectorAll('[aria-invalid]').forEach(function (e) { e.removeAttribute('aria-invalid'); });
      g.querySelectorAll('[data-described]').forEach(function (e) {
        if (e.dataset.described) e.setAttribute('aria-describedby', e.dataset.described);
        else e.removeAttribute('aria-describedby');
        delete e.dataset.described;
      });
    });
  }

  function showErrors(errors) {
    var summary = document.createElement('div');
    summary.className = 'error-summary kiosk-error';
    summary.tabIndex = -1;
    summary.setAttribute('aria-labelledby', 'kiosk-error-title');
    var h = document.createElement('h2');
    h.id = 'kiosk-error-title';
    h.textContent = form.dataset.problem;
    var list = document.createElement('ul');
    errors.forEach(function (e) {
      var g = e.g, q = g.dataset.q, control = g.querySelector('textarea, input, select');
      var li = document.createElement('li'), a = document.createElement('a');
      a.href = '#' + control.id;
      a.textContent = e.msg;
      li.appendChild(a);
      list.appendChild(li);
      var p = document.createElement('p');
      p.className = 'error-message kiosk-error';
      p.id = q + '-error';
      var prefix = document.createElement('span');
      prefix.className = 'visually-hidden';
      prefix.textContent = form.dataset.errorPrefix + ' ';
      p.appendChild(prefix);
      p.appendChild(document.createTextNode(e.msg));
      var before = g.querySelector('.choices, textarea, .rank');
      before.parentNode.insertBefore(p, before);
      g.classList.add('group-error');
      var described = g.querySelector('fieldset, textarea');
      described.dataset.described = described.getAttribute('aria-describedby') || '';
      described.setAttribute('aria-describedby', (described.dataset.described + ' ' + p.id).trim());
      if (control.tagName === 'TEXTAREA') control.setAttribute('aria-invalid', 'true');
      g.querySelectorAll('select').forEach(function (s) { s.setAttribute('aria-invalid', 'true'); });
    });
    summary.appendChild(h);
    summary.appendChild(list);
    form.insertBefore(summary, form.firstChild);
    summary.focus();
  }

  // ---- sealing and starting afresh ----

  // The body a form would post, with only % & + = and control characters
  // escaped: at most 4 bytes a character, so kiosk_pad_block holds it.
  function encode() {
    var parts = [];
    function esc(s) {
      return s.replace(/[%&+=\u0000-\u001f\u007f]/g, function (c) {
        return '%' + ('0' + c.charCodeAt(0).toString(16).toUpperCase()).slice(-2);
      });
    }
    new FormData(form).forEach(function (v, k) {
      if (typeof v === 'string') parts.push(esc(k) + '=' + esc(v.replace(/\r\n?/g, '\n')));
    });
    return parts.join('&');
  }

  function seal() {
    var plain = sodium.from_string(encode());
    var pad = +form.dataset.pad;
    if (plain.length >= pad) { sodium.memzero(plain); return null; }
    var padded = sodium.pad(plain, pad);
    var box = sodium.crypto_box_seal(padded, key);
    sodium.memzero(plain);
    sodium.memzero(padded);
    return sodium.to_base64(box, b64());
  }

  function showThanks() {
    hiddenForThanks = Array.prototype.slice.call(main.children).filter(function (e) {
      return e !== thanks && e !== nextBox && e !== statusEl && !e.hidden;
    });
    hiddenForThanks.forEach(function (e) { e.hidden = true; });
    thanks.hidden = false;
    nextBox.hidden = false;
    window.scrollTo(0, 0);
    thanks.focus();
  }

  function startAgain() {
    form.reset();
    clearErrors();
    thanks.hidden = true;
    nextBox.hidden = true;
    hiddenForThanks.forEach(function (e) { e.hidden = false; });
    hiddenForThanks = [];
    window.scrollTo(0, 0);
    var h1 = main.querySelector('h1');
    h1.tabIndex = -1;
    h1.focus();
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!key || !token || off || closed) return update();
    clearErrors();
    var errors = check();
    if (errors.length) return showErrors(errors);
    var box = seal();
    if (!box) return showErrors([{ g: groups()[0], msg: form.dataset.problem }]);
    var id = sodium.to_hex(sodium.randombytes_buf(16));
    try {
      localStorage.setItem(QUEUE + id, JSON.stringify({ s: survey, b: box }));
    } catch (err) {
      statusEl.textContent = 'This tablet is full: connect it to the wifi so that the answers waiting can be sent, then press Send again.';
      return;
    }
    form.reset();  // nothing of these answers stays on the page
    showThanks();
    update();
    flush();
  });
  nextButton.addEventListener('click', startAgain);
  // A page brought back by Back or Forward shows a blank form.
  window.addEventListener('pageshow', function (e) { if (e.persisted) form.reset(); });
  window.addEventListener('hashchange', function () { takeToken(); flush(); });
  window.addEventListener('online', function () { online = true; flush(); });
  window.addEventListener('offline', function () { online = false; update(); });

  if (!token) form.hidden = true;
  if (typeof sodium === 'undefined') {
    statusEl.textContent = 'The kiosk could not start. Reload the page when there is a connection.';
    return;
  }
  sodium.ready.then(function () {
    key = sodium.from_base64(form.dataset.key, b64());
    update();
    flush();
  });
  update();
})();
