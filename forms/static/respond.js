/*
 * respond.js - small improvements to a survey page; the page works the same
 * without it (forms/README.md, "Conditions and JavaScript").
 *
 * 1. A question whose condition is on its own page (a .conditional block
 *    with data-show-if="QUESTION OPTION") is revealed in place as soon as
 *    that option is chosen, and hidden again when it is not.  An open block
 *    sends its "_shown" field, so the server does not ask the question again
 *    on a follow-up step; a closed block sends nothing (its answers, if any,
 *    are dropped by the server).  The progress line ("Question 3 of 8")
 *    counts it while it is open.
 * 2. A text box with data-max gets a live count of the characters left.
 *    The visible count changes with each key; screen readers hear it through
 *    a polite live region only when it crosses a threshold (a quarter left,
 *    a tenth left, none left, too many), never at every keystroke.
 */
(function () {
	'use strict';

	function fill(template, n) {
		return template.replace('{n}', String(n));
	}

	/* ---- 1. conditions revealed in place ---- */

	function controls(form, name) {
		var found = [];
		var all = form.elements;
		for (var i = 0; i < all.length; i++)
			if (all[i].name === name || all[i].name === name + '[]')
				found.push(all[i]);
		return found;
	}

	/* The progress line ("Question 3 of 8") counts a follow-up revealed in
	 * place, and stops counting one hidden again: the server counted the
	 * blocks marked data-counted. */
	function updateProgress(form) {
		var line = document.getElementById('progress');
		if (!line)
			return;
		var extra = 0;
		var blocks = form.querySelectorAll('.conditional[data-show-if]');
		for (var i = 0; i < blocks.length; i++)
			extra += (blocks[i].hidden ? 0 : 1) - (blocks[i].hasAttribute('data-counted') ? 1 : 0);
		var first = parseInt(line.getAttribute('data-first'), 10);
		var last = parseInt(line.getAttribute('data-last'), 10) + extra;
		var total = parseInt(line.getAttribute('data-total'), 10) + extra;
		if (!(first > 0) || !(last >= first) || !(total >= last))
			return;
		var text = line.getAttribute(first === last ? 'data-one' : 'data-many')
			.replace('{n}', String(first)).replace('{last}', String(last))
			.replace('{total}', String(total));
		if (line.textContent !== text)
			line.textContent = text;
	}

	function setupConditional(form, block) {
		var rule = (block.getAttribute('data-show-if') || '').split(' ');
		if (rule.length !== 2)
			return;
		var inputs = controls(form, rule[0]);
		var marker = block.querySelector('input[name="_shown"]');
		function update() {
			var on = false;
			for (var i = 0; i < inputs.length; i++)
				if (inputs[i].value === rule[1] && inputs[i].checked)
					on = true;
			block.hidden = !on;
			if (marker)
				marker.disabled = !on;
			updateProgress(form);
		}
		for (var i = 0; i < inputs.length; i++) {
			inputs[i].addEventListener('change', update);
			if (inputs[i].value === rule[1])
				inputs[i].setAttribute('aria-controls', block.id);
		}
		update();
	}

	/* ---- 2. character count ---- */

	function chars(text) {
		/* The server counts code points; so does this (not UTF-16 units). */
		return Array.from(text.replace(/\r\n/g, '\n')).length;
	}

	function band(left, max) {
		if (left < 0) return 4;
		if (left === 0) return 3;
		if (left <= max / 10) return 2;
		if (left <= max / 4) return 1;
		return 0;
	}

	function setupCount(box) {
		var max = parseInt(box.getAttribute('data-max'), 10);
		if (!(max > 0))
			return;
		var shown = document.createElement('p');
		shown.className = 'char-count';
		shown.id = box.id + '-count';
		shown.setAttribute('aria-hidden', 'true');
		var spoken = document.createElement('p');
		spoken.className = 'visually-hidden';
		spoken.setAttribute('aria-live', 'polite');
		spoken.id = box.id + '-count-live';
		box.parentNode.insertBefore(shown, box.nextSibling);
		box.parentNode.insertBefore(spoken, shown.nextSibling);
		var last = -1;
		function message(left) {
			return left >= 0 ? fill(box.getAttribute('data-count-left'), left)
				: fill(box.getAttribute('data-count-over'), -left);
		}
		function update(first) {
			var left = max - chars(box.value);
			shown.textContent = message(left);
			shown.className = left < 0 ? 'char-count char-count-over' : 'char-count';
			var b = band(left, max);
			if (!first && b !== last && b > 0)
				spoken.textContent = message(left);
			last = b;
		}
		box.addEventListener('input', function () { update(false); });
		update(true);
	}

	var form = document.querySelector('form[method="post"]');
	if (!form)
		return;
	var blocks = form.querySelectorAll('.conditional[data-show-if]');
	for (var i = 0; i < blocks.length; i++)
		setupConditional(form, blocks[i]);
	var boxes = form.querySelectorAll('textarea[data-max]');
	for (var k = 0; k < boxes.length; k++)
		setupCount(boxes[k]);
}());
