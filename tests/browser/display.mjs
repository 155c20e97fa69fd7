// display.mjs - the projector display in a real browser, opened through
// its display link with no session:
//   - at 1920x1080, 1280x720 and 1024x768 every option of the event (20 in
//     5 stalls) is inside the screen, nothing scrolls, the type is large
//     (counts at least 1/18 of the screen's height, names 1/38, stall names
//     1/40; on a 4:3 screen, of a 16:9 picture as wide) and high in
//     contrast (7:1 or more);
//   - with JavaScript, a tap stored by the tally page shows within a poll,
//     in place: no reload, no box moving, bars rescaled, a polite status
//     that changes only when a count does;
//     when the network drops the last totals stay and the page says so,
//     and it catches up when the network returns; closing the event shows
//     "Final totals", and revoking the link shows the 404 page;
//   - without JavaScript, the page carries a 10-second refresh and a tap
//     shows after it; with JavaScript there is no such refresh;
//   - on a 360x740 phone the stalls stack, on a 768x1024 tablet they
//     reflow, and nothing scrolls sideways.
//   - the QR code on the page where the link was made (a file, MADE_HTML)
//     is saved as a picture (QR_PNG) for zbarimg to decode.
// Screenshots go to SHOTS (a folder) when it is set.
// Usage: node display.mjs BASE TOKEN EVENT_ID STAFF_COOKIE CSRF MADE_HTML QR_PNG
// Prints checks and "N passed, M failed".
import { launchChromium } from './chromium.mjs';

import { readFile } from 'node:fs/promises';

const [base, token, eventId, cookie, csrf, madeHtml, qrPng] = process.argv.slice(2);
const url = `${base}/display/${token}`;
const shots = process.env.SHOTS || '';
let passed = 0, failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); }
  else { failed++; console.log(`FAIL - ${what} ${detail}`); }
}

// A staff POST, as the tally page's script or its forms send it.
let tapId = 0;
async function staffPost(path, fields, json = true) {
  const r = await fetch(`${base}${path}`, {
    method: 'POST', redirect: 'manual',
    headers: { Cookie: `yv_staff=${cookie}`, 'Content-Type': 'application/x-www-form-urlencoded',
               ...(json ? { Accept: 'application/json' } : {}) },
    body: new URLSearchParams({ _csrf: csrf, ...fields }),
  });
  return { status: r.status, body: json ? await r.json().catch(() => null) : null };
}
async function tap(stall, theme, delta = 1) {
  return staffPost(`/staff/events/${eventId}/tally`,
                   { priority: String(stall), theme, delta: String(delta), client_id: `display-test-${Date.now()}-${tapId++}` });
}
async function totals() {
  const r = await fetch(`${url}.json`);
  return r.json();
}

// Where every option, count and name sits, and what the page looks like.
function layout() {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const lum = c => {
    const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bg = e => {
    for (; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const contrast = e => {
    const a = lum(getComputedStyle(e).color), b = lum(bg(e));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const each = sel => [...document.querySelectorAll(sel)];
  return {
    options: each('.option').map(e => ({ id: e.id, box: box(e) })),
    counts: each('.count').map(e => ({ box: box(e), size: parseFloat(getComputedStyle(e).fontSize), contrast: contrast(e) })),
    names: each('.option-name').map(e => ({ box: box(e), size: parseFloat(getComputedStyle(e).fontSize), contrast: contrast(e) })),
    heads: each('.stall h2').map(e => ({ box: box(e), size: parseFloat(getComputedStyle(e).fontSize), contrast: contrast(e) })),
    stalls: each('.stall').map(e => box(e)),
    scroll: [document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight],
    refresh: document.querySelectorAll('meta[http-equiv="refresh"]').length,
  };
}

const browser = await launchChromium();
// A fresh browser context at a size, the display open in it, and its layout.
async function openAt(width, height, options = {}) {
  const context = await browser.newContext({ viewport: { width, height }, ...options });
  const page = await context.newPage();
  await page.goto(url);
  return { context, page, l: await page.evaluate(layout) };
}
try {
  // --- the QR code where the link was made, as a picture ----------------------------
  {
    const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
    const page = await context.newPage();
    await page.setContent(await readFile(madeHtml, 'utf8'));
    await page.locator('svg.qr').screenshot({ path: qrPng });
    check('the QR code of the link is drawn', (await page.locator('svg.qr').boundingBox()).width >= 200);
    await context.close();
  }

  // --- fits the screen, large and high in contrast ---------------------------------
  for (const [w, h] of [[1920, 1080], [1280, 720], [1024, 768]]) {
    const { context, page, l } = await openAt(w, h);
    // Type is measured against the height of the largest 16:9 picture that
    // fits the screen (4:3 projectors show the 16:9 layout letterboxed).
    const eq = Math.min(h, w * 9 / 16);
    const inside = b => b[0] >= 0 && b[1] >= 0 && b[2] <= w && b[3] <= h && b[2] > b[0] && b[3] > b[1];
    const out = [...l.options.filter(o => !inside(o.box)).map(o => o.id)];
    check(`${w}x${h}: all 20 options are on the page`, l.options.length === 20, `${l.options.length}`);
    check(`${w}x${h}: every option is inside the screen`, out.length === 0, out.join(' '));
    check(`${w}x${h}: every count and name is inside the screen`,
          [...l.counts, ...l.names, ...l.heads].every(e => inside(e.box)));
    check(`${w}x${h}: nothing scrolls`, l.scroll[0] <= w && l.scroll[1] <= h, `${l.scroll}`);
    check(`${w}x${h}: the 5 stalls sit side by side`,
          l.stalls.length === 5 && l.stalls.every((b, i) => i === 0 || b[0] > l.stalls[i - 1][2]));
    const minSize = a => Math.min(...a.map(e => e.size));
    check(`${w}x${h}: counts are large (${minSize(l.counts)}px, at least ${(eq / 18).toFixed(1)})`,
          minSize(l.counts) >= eq / 18);
    check(`${w}x${h}: option names are large (${minSize(l.names)}px, at least ${(eq / 38).toFixed(1)})`,
          minSize(l.names) >= eq / 38);
    check(`${w}x${h}: stall names are large (${minSize(l.heads)}px, at least ${(eq / 40).toFixed(1)})`,
          minSize(l.heads) >= eq / 40);
    const minContrast = Math.min(...[...l.counts, ...l.names, ...l.heads].map(e => e.contrast));
    check(`${w}x${h}: text contrast is 7:1 or more (${minContrast.toFixed(1)}:1)`, minContrast >= 7);
    if (shots) await page.screenshot({ path: `${shots}/display-${w}x${h}.png` });
    await context.close();
  }

  // --- a phone and an upright tablet: it reflows --------------------------------------
  {
    const { context, l } = await openAt(768, 1024, { isMobile: true, hasTouch: true });
    check('768x1024: nothing scrolls sideways', l.scroll[0] <= 768, `${l.scroll}`);
    check('768x1024: every option is within the width', l.options.every(o => o.box[0] >= 0 && o.box[2] <= 768));
    check('768x1024: the stalls reflow into more than one row', new Set(l.stalls.map(b => b[1])).size > 1);
    await context.close();
  }
  {
    const { context, page, l } = await openAt(360, 740, { isMobile: true, hasTouch: true });
    check('360x740: nothing scrolls sideways', l.scroll[0] <= 360, `${l.scroll}`);
    check('360x740: the stalls stack, one under another',
          l.stalls.every((b, i) => i === 0 || (b[0] === l.stalls[0][0] && b[1] >= l.stalls[i - 1][3])));
    check('360x740: every option is within the width', l.options.every(o => o.box[0] >= 0 && o.box[2] <= 360));
    if (shots) await page.screenshot({ path: `${shots}/display-360x740.png` });
    await context.close();
  }

  // --- without JavaScript: a refresh ---------------------------------------------------
  {
    const { context, page } = await openAt(1920, 1080, { javaScriptEnabled: false });
    const meta = await page.locator('meta[http-equiv="refresh"]').getAttribute('content');
    check('without JavaScript the page has a 10-second refresh', meta === '10', `${meta}`);
    const count = () => page.locator('#opt-4-send .count').textContent().then(Number);
    const before = await count();
    const t = await tap(4, 'send');
    check('a tap is stored', t.status === 200 && t.body && t.body.count === before + 1, JSON.stringify(t));
    const start = Date.now();
    let after = before;
    while (Date.now() - start < 15000 && after === before) {
      await page.waitForTimeout(500);
      after = await count().catch(() => before);
    }
    check(`  ... and shows after the refresh, without JavaScript (${Date.now() - start} ms)`,
          after === before + 1, `${after}`);
    await context.close();
  }

  // --- with JavaScript: in place --------------------------------------------------------
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(url);
  await page.evaluate(() => { window.notReloaded = true; });
  const first = await page.evaluate(layout);
  check('with JavaScript there is no refresh', first.refresh === 0, `${first.refresh}`);
  check('the status is a polite live region',
        await page.locator('#display-status').getAttribute('role') === 'status');
  const count = (id) => page.locator(`#${id} .count`).textContent().then(Number);
  const quiet = await page.locator('#display-status').textContent();
  await page.waitForTimeout(6500); // a poll that changes nothing
  check('a poll that changes nothing announces nothing',
        await page.locator('#display-status').textContent() === quiet, quiet);
  const before = await count('opt-3-transport');
  const t = await tap(3, 'transport');
  check('a tap is stored', t.status === 200 && t.body && t.body.count === before + 1, JSON.stringify(t));
  const start = Date.now();
  await page.waitForFunction(([n]) => document.querySelector('#opt-3-transport .count').textContent === String(n),
                             [before + 1], { timeout: 15000 }).catch(() => {});
  const took = Date.now() - start;
  check(`the count updates in place within a poll (${took} ms, at most 9000)`,
        await count('opt-3-transport') === before + 1 && took <= 9000, `${await count('opt-3-transport')}`);
  check('  ... without reloading the page', await page.evaluate(() => window.notReloaded === true));
  const second = await page.evaluate(layout);
  const moved = second.options.filter((o, i) => JSON.stringify(o.box) !== JSON.stringify(first.options[i].box));
  check('  ... and no option moved or changed size', moved.length === 0, moved.map(o => o.id).join(' '));
  check('  ... the status says the totals were updated',
        /^Totals updated at \d\d:\d\d\.$/.test(await page.locator('#display-status').textContent()));
  // Every count and bar is the JSON's, bars against the largest count.
  const j = await totals();
  const max = Math.max(...j.options.map(o => o.count));
  const shown = await page.evaluate(() => [...document.querySelectorAll('.option')].map(e => ({
    id: e.id, count: Number(e.querySelector('.count').textContent), bar: Number(e.querySelector('rect').getAttribute('width')) })));
  const wrong = j.options.filter(o => {
    const s = shown.find(x => x.id === `opt-${o.stall}-${o.theme}`);
    return !s || s.count !== o.count || s.bar !== Math.floor(o.count * 100 / max);
  });
  check('every count and bar matches the totals', wrong.length === 0, JSON.stringify(wrong));

  // The largest count moves: every bar is rescaled in place.
  const top = j.options.reduce((a, o) => (o.count > a.count ? o : a));
  const big = await staffPost(`/staff/events/${eventId}/tally`,
                              { priority: String(top.stall), theme: top.theme, total: String(top.count * 2), client_id: `display-set-${Date.now()}` });
  check('a larger total is set', big.status === 200, `${big.status}`);
  await page.waitForFunction(([id, n]) => document.querySelector(`#${id} .count`).textContent === String(n),
                             [`opt-${top.stall}-${top.theme}`, top.count * 2], { timeout: 15000 }).catch(() => {});
  const halved = await page.evaluate(() => [...document.querySelectorAll('.option')].map(e => [
    e.id, Number(e.querySelector('.count').textContent), Number(e.querySelector('rect').getAttribute('width'))]));
  check('  ... every bar is rescaled to it', halved.every(([, c, b]) => b === Math.floor(c * 100 / (top.count * 2))),
        JSON.stringify(halved));

  // The network drops, then comes back.
  await context.setOffline(true);
  await page.waitForFunction(() => /^No connection since/.test(document.getElementById('display-status').textContent),
                             null, { timeout: 15000 }).catch(() => {});
  check('offline: the page says there is no connection',
        /^No connection since \d\d:\d\d: these are the last totals/.test(await page.locator('#display-status').textContent()));
  check('  ... and keeps the last totals on screen', await count('opt-3-transport') === before + 1);
  const offlineTap = await tap(3, 'transport');
  await context.setOffline(false);
  await page.waitForFunction(([n]) => document.querySelector('#opt-3-transport .count').textContent === String(n),
                             [before + 2], { timeout: 15000 }).catch(() => {});
  check('back online: it catches up', offlineTap.status === 200 && await count('opt-3-transport') === before + 2);
  check('  ... says so', /^Totals updated at/.test(await page.locator('#display-status').textContent()));
  check('  ... still without a reload', await page.evaluate(() => window.notReloaded === true));

  // Closing the event: the display says these are the final totals.
  const closed = await staffPost(`/staff/events/${eventId}/close`, { confirm: 'yes' }, false);
  check('the event is closed', closed.status === 303, `${closed.status}`);
  await page.waitForFunction(() => /Final totals/.test(document.getElementById('display-status').textContent),
                             null, { timeout: 15000 }).catch(() => {});
  check('  ... the display shows "Final totals"', /^Final totals/.test(await page.locator('#display-status').textContent()));
  check('  ... with the same counts', await count('opt-3-transport') === before + 2);
  if (shots) await page.screenshot({ path: `${shots}/display-closed-1920x1080.png` });

  // Revoking the link: the display goes to the 404 page.
  const revoked = await staffPost(`/staff/events/${eventId}/display/revoke`, {}, false);
  check('the link is revoked', revoked.status === 303, `${revoked.status}`);
  await page.waitForFunction(() => /does not work/.test(document.body.textContent), null, { timeout: 15000 }).catch(() => {});
  check('  ... the display shows that the link does not work',
        /This display link does not work/.test(await page.locator('body').textContent()));
  check('  ... and no totals', await page.locator('.option').count() === 0);
  check('no script errors', errors.length === 0, errors.join('; '));
  await context.close();
} catch (e) {
  check('the display run finished', false, String(e.message || e).split('\n')[0]);
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
