/*
 * results.js - keeps a consultation's results page (forms/render_results.c)
 * up to date while it is open; the page works the same without it, with a
 * Refresh link (docs/results.md, "How live it is").
 *
 * Every 30 seconds it reads results.json, the same snapshot of published
 * counts the page was built from, and writes its texts ("12", "<5", "[c]")
 * where the page has them: the counts marked data-k, the bodies of the
 * survey and day tables, the day chart and its summary, the themes tables.
 * It prints only those texts, so it shows nothing the page itself would not:
 * a day drawn in the chart from a text that is not a plain number is drawn
 * as the server draws it, an outline at the threshold's height.
 *
 * - It waits while the tab is hidden and reads again as soon as it is seen.
 * - A failure (the server unreachable, signed out, an answer it cannot
 *   read) stops it, with a note saying so beside the Refresh link.
 * - When the counts change, a polite live region says so once; focus is
 *   never moved.  "Updated HH:MM" is in the viewer's own clock.
 * - If the page cannot take the new counts in place (it showed no table yet,
 *   or the themes changed), it says to refresh the page and stops.
 *
 * For tests only: ?refresh_s=N on the page's address reads every N seconds
 * (1 to 3600) instead of 30.
 */
(function () {
	'use strict';

	var line = document.getElementById('results-refresh');
	var when = document.getElementById('results-when');
	if (!line || !when || !window.fetch || !window.JSON)
		return;
	var url = line.getAttribute('data-json');
	var every = 30;
	var asked = /[?&]refresh_s=(\d{1,4})(&|$)/.exec(window.location.search);
	if (asked && +asked[1] >= 1 && +asked[1] <= 3600)
		every = +asked[1];
	var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct',
		      'Nov', 'Dec'];
	var LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
			   'August', 'September', 'October', 'November', 'December'];
	var SVG = 'http://www.w3.org/2000/svg';
	var timer = null, stopped = false, last = null, due = 0;   /* last: the counts' signature */

	var live = document.createElement('p');
	live.className = 'visually-hidden';
	live.setAttribute('aria-live', 'polite');
	live.id = 'results-announce';
	line.parentNode.insertBefore(live, line.nextSibling);

	function two(n) {
		return (n < 10 ? '0' : '') + n;
	}

	function clock(d) {
		return two(d.getHours()) + ':' + two(d.getMinutes());
	}

	/* "2026-12-01" as "1 Dec 2026", as the server writes it. */
	function dayWords(day) {
		var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
		if (!m || +m[2] < 1 || +m[2] > 12)
			return day;
		return +m[3] + ' ' + MONTHS[+m[2] - 1] + ' ' + +m[1];
	}

	/* The number a published text stands for, or -1 ("<5", "[c]"). */
	function exact(text) {
		return /^\d+$/.test(text) ? parseInt(text, 10) : -1;
	}

	function setText(el, text) {
		if (el.textContent !== text)
			el.textContent = text;
	}

	function rows(body, items, days) {
		var old = body.querySelectorAll('tr');
		var same = old.length === items.length;
		for (var i = 0; same && i < items.length; i++) {
			var label = days ? dayWords(items[i].label) : items[i].label;
			same = old[i].querySelector('th').textContent === label;
		}
		if (same) {
			for (var j = 0; j < items.length; j++)
				setText(old[j].querySelector('td'), items[j].count);
			return;
		}
		while (body.firstChild)
			body.removeChild(body.firstChild);
		items.forEach(function (it) {
			var tr = document.createElement('tr');
			var th = document.createElement('th');
			th.setAttribute('scope', 'row');
			th.textContent = days ? dayWords(it.label) : it.label;
			var td = document.createElement('td');
			td.className = 'numeric';
			td.textContent = it.count;
			tr.appendChild(th);
			tr.appendChild(td);
			body.appendChild(tr);
		});
	}

	/* The day chart, drawn as day_chart in render_results.c draws it. */
	function chart(fig, days, minCell) {
		var svg = fig.querySelector('svg');
		var caption = fig.querySelector('figcaption');
		var slot = +fig.getAttribute('data-slot'), height = +fig.getAttribute('data-height');
		var minDays = +fig.getAttribute('data-min-days');
		var max = minCell, top = 0, any = false, outlined = false, i;
		for (i = 0; i < days.length; i++) {
			var v = exact(days[i].count);
			if (v >= 0 && (!any || v > exact(days[top].count))) {
				if (v > max)
					max = v;
				top = i;
				any = true;
			}
		}
		svg.setAttribute('viewBox', '0 0 ' + Math.max(days.length, minDays) * slot + ' ' + height);
		while (svg.firstChild)
			svg.removeChild(svg.firstChild);
		for (i = 0; i < days.length; i++) {
			var value = exact(days[i].count);
			var drawn = value >= 0 ? value : minCell;
			outlined = outlined || value < 0;
			var h = Math.floor(drawn * height / max);
			if (h < 1 && drawn > 0)
				h = 1;
			var rect = document.createElementNS(SVG, 'rect');
			rect.setAttribute('class', value >= 0 ? 'day-bar' : 'day-bar day-small');
			rect.setAttribute('x', String(i * slot + 1));
			rect.setAttribute('y', String(height - h));
			rect.setAttribute('width', String(slot - 2));
			rect.setAttribute('height', String(h));
			svg.appendChild(rect);
		}
		var text = 'Responses per day, ' + dayWords(days[0].label);
		if (days.length > 1)
			text += ' to ' + dayWords(days[days.length - 1].label);
		if (any)
			text += ': the most on one day, ' + exact(days[top].count) + ', on ' +
				dayWords(days[top].label);
		if (outlined)
			text += '. Days with fewer than ' + minCell + ', or hidden to protect them, are ' +
				'drawn as outlines at the height of ' + minCell;
		setText(caption, text + '.');
	}

	var COLS = ['survey', 'focus_group', 'marketplace', 'total', 'free_text'];

	/* The themes tables; false if the page's do not match the counts. */
	function themes(priorities) {
		var tables = document.querySelectorAll('table.themes');
		if (tables.length !== priorities.length)
			return false;
		for (var p = 0; p < priorities.length; p++) {
			var body = tables[p].querySelectorAll('tbody tr');
			var pr = priorities[p];
			if (body.length !== pr.themes.length)
				return false;
			for (var i = 0; i < body.length; i++) {
				if (body[i].querySelector('th').textContent !== pr.themes[i].theme)
					return false;
				var cells = body[i].querySelectorAll('td');
				for (var c = 0; c < COLS.length; c++)
					setText(cells[c], pr.themes[i][COLS[c]]);
			}
			var any = tables[p].querySelectorAll('tfoot td');
			for (var k = 0; k < COLS.length; k++)
				setText(any[k], pr[COLS[k]]);
		}
		return true;
	}

	/* Writes the counts into the page; false if it cannot take them. */
	function apply(r) {
		var surveys = document.getElementById('surveys-body');
		var days = document.getElementById('days-body');
		var fig = document.querySelector('figure.chart');
		if (r.held || !document.querySelector('[data-k="responses"]') ||
		    !surveys !== !r.surveys.length || !days !== !r.days.length || !fig !== !r.days.length)
			return false;
		if (!themes(r.priorities))
			return false;
		var keyed = document.querySelectorAll('[data-k]');
		for (var i = 0; i < keyed.length; i++) {
			var v = r[keyed[i].getAttribute('data-k')];
			if (v !== undefined)
				setText(keyed[i], String(v));
		}
		if (surveys)
			rows(surveys, r.surveys, false);
		if (days) {
			rows(days, r.days, true);
			chart(fig, r.days, r.min_cell);
		}
		var time = document.getElementById('computed');
		var at = new Date(r.computed);
		if (time && !isNaN(at.getTime())) {
			time.setAttribute('datetime', r.computed);
			setText(time, clock(at) + ':' + two(at.getSeconds()) + ' on ' + at.getDate() + ' ' +
				LONG_MONTHS[at.getMonth()] + ' ' + at.getFullYear());
		}
		return true;
	}

	/* What changed, as compared: every published text but the time. */
	function signature(r) {
		var copy = JSON.parse(JSON.stringify(r));
		delete copy.computed;
		return JSON.stringify(copy);
	}

	function stop(why) {
		stopped = true;
		clearTimeout(timer);
		line.classList.add('results-stopped');
		setText(when, why);
		setText(live, why);
	}

	function schedule() {
		clearTimeout(timer);
		if (stopped || document.hidden)
			return;
		timer = setTimeout(read, Math.max(0, due - Date.now()));
	}

	function read() {
		if (stopped)
			return;
		due = Date.now() + every * 1000;
		fetch(url, { credentials: 'same-origin', cache: 'no-store',
			     headers: { 'Accept': 'application/json' }, redirect: 'error' })
			.then(function (res) {
				if (res.status === 401 || res.status === 403)
					throw new Error('signed-out');
				if (!res.ok)
					throw new Error('status');
				return res.json();
			})
			.then(function (r) {
				var sig = signature(r);
				/* The first read may already be newer than the page. */
				if (!r.held && !apply(r)) {
					stop('New counts are ready. Refresh the page to see them.');
					return;
				}
				if (last !== null && sig !== last && !r.held)
					setText(live, 'The results have changed: ' + r.responses +
						' survey responses.');
				last = sig;
				setText(when, 'Updated ' + clock(new Date()) + '. The counts update every ' +
					(every === 1 ? 'second' : every + ' seconds') + '.');
				schedule();
			})
			.catch(function (e) {
				stop('The counts stopped updating at ' + clock(new Date()) + (e &&
					e.message === 'signed-out' ? ' (you are signed out). ' :
					' (the server could not be reached). ') +
					'Refresh the page to start again.');
			});
	}

	document.addEventListener('visibilitychange', function () {
		if (document.hidden)
			clearTimeout(timer);
		else
			schedule();
	});
	read();
}());
