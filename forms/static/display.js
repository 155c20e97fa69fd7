/* youthvoice projector display: counts that update in place.
 *
 * Every POLL_MS it asks /display/TOKEN.json for the totals and writes the
 * counts and bars that changed into the page, so nothing jumps and nothing
 * reloads.  The status line (a polite live region) changes only when a
 * count does or the connection is lost or back, so a screen reader is not
 * told the same thing every few seconds.  A revoked or replaced link (404)
 * and an event that was just closed reload the page, which then says so.
 * If the network drops, the last totals stay on screen.  Without this
 * script the page reloads itself every 10 seconds instead (<noscript>). */
(function () {
  'use strict';
  var POLL_MS = 5000;
  var main = document.querySelector('main.display');
  var status = document.getElementById('display-status');
  if (!main || !status) return;
  if (!window.fetch) { setTimeout(function () { location.reload(); }, 10000); return; }
  var url = location.pathname + '.json';
  var lost = false;

  function clock() {
    var d = new Date();
    return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
  }
  function say(text, isLost) {
    status.textContent = text;
    status.className = 'display-note' + (isLost ? ' lost' : '');
  }
  /* Writes the totals into the page; true if any count changed. */
  function apply(options) {
    var max = 0, changed = false;
    options.forEach(function (o) { if (o.count > max) max = o.count; });
    options.forEach(function (o) {
      var item = document.getElementById('opt-' + o.stall + '-' + o.theme);
      if (!item) return;
      var count = item.querySelector('.count'), bar = item.querySelector('rect');
      var text = String(o.count), width = String(max > 0 ? Math.floor(o.count * 100 / max) : 0);
      if (count && count.textContent !== text) { count.textContent = text; changed = true; }
      if (bar && bar.getAttribute('width') !== width) bar.setAttribute('width', width);
    });
    return changed;
  }
  function poll() {
    fetch(url, { cache: 'no-store', credentials: 'omit', headers: { 'Accept': 'application/json' } })
      .then(function (r) {
        if (r.status === 404) { location.reload(); return null; }
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (j) {
        if (!j) return;
        if (j.closed !== main.hasAttribute('data-closed')) { location.reload(); return; }
        if (apply(j.options || []) || lost) say('Totals updated at ' + clock() + '.', false);
        lost = false;
      })
      .catch(function () {
        if (!lost) say('No connection since ' + clock() + ': these are the last totals. Trying again.', true);
        lost = true;
      })
      .then(function () { setTimeout(poll, POLL_MS); });
  }
  setTimeout(poll, POLL_MS);
})();
