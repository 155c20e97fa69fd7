// results_live.mjs - the results page's refresh script (forms/static/results.js)
// against a running server, signed in with the session cookie given: with
// ?refresh_s=1 (the test-only interval) it shows "Updated HH:MM" in the
// browser's clock; five survey responses sent meanwhile (with the tokens
// given) show up without a reload (without ?refresh_s it reads every 30 s), announced once in the polite live
// region, focus left where it was; every count it then shows equals the
// page as the server draws it without JavaScript (so it shows nothing the
// page would suppress: cells, day rows, chart bars and summary); it reads
// nothing while the tab is hidden and again once seen; a failed read stops
// it with a visible note; without JavaScript the page says how to refresh.
// Usage: COOKIE=name=value node results_live.mjs URL SURVEY_POST_URL TOKEN,TOKEN,... SHOTS_DIR
import { launch, check, done } from './harness.mjs';

const [url, postUrl, tokenList, shots] = process.argv.slice(2);
const tokens = tokenList.split(',');
const origin = new URL(url).origin;
const [cookieName, ...rest] = process.env.COOKIE.split('=');
const cookie = { name: cookieName, value: rest.join('='), url: origin };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// What the page shows as counts: every published text and how it is drawn.
const shown = () => ({
  keyed: [...document.querySelectorAll('[data-k]')].map((e) => `${e.dataset.k}=${e.textContent}`),
  cells: [...document.querySelectorAll('table')].map((t) =>
    [...t.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent).join('|'))),
  bars: [...document.querySelectorAll('figure.chart rect')].map((r) =>
    ['class', 'x', 'y', 'width', 'height'].map((a) => r.getAttribute(a)).join(' ')),
  viewBox: document.querySelector('figure.chart svg')?.getAttribute('viewBox'),
  summary: document.querySelector('figure.chart figcaption')?.textContent,
});

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.addCookies([cookie]);
// Without the test's interval: every 30 seconds, so one read in the first few.
{
  const slow = await context.newPage();
  let n = 0;
  slow.on('request', (r) => { if (r.url().includes('/results.json')) n++; });
  await slow.goto(url, { waitUntil: 'load' });
  await slow.waitForFunction(() => /^Updated /.test(document.getElementById('results-when').textContent),
    null, { timeout: 10000 }).catch(() => {});
  await sleep(4000);
  const said = await slow.locator('#results-when').textContent();
  check('by default it reads every 30 seconds', /The counts update every 30 seconds\.$/.test(said) && n === 1,
    `(${said}; ${n} reads in 4 s)`);
  await slow.close();
}
const page = await context.newPage();
let reads = 0;
page.on('request', (r) => { if (r.url().includes('/results.json')) reads++; });
const res = await page.goto(`${url}?refresh_s=1`, { waitUntil: 'load' });
check('the page loads signed in', res && res.status() === 200);
await page.waitForFunction(() => /^Updated \d\d:\d\d\./.test(document.getElementById('results-when').textContent),
  null, { timeout: 10000 }).catch(() => {});
const when = await page.locator('#results-when').textContent();
const hhmm = await page.evaluate(() => { const d = new Date(); return [d.getHours(), d.getMinutes()]; });
const [h, m] = (when.match(/(\d\d):(\d\d)/) || []).slice(1).map(Number);
check('it says "Updated HH:MM" in the browser\'s clock', h === hhmm[0] && Math.abs(m - hhmm[1]) <= 1, when);
check('it says how often', /every second\.$/.test(when), when);
const before = await page.locator('[data-k="responses"]').first().textContent();
const live = await page.locator('#results-announce[aria-live="polite"]').count();
check('a polite live region is there, empty', live === 1 &&
  (await page.locator('#results-announce').textContent()) === '');
const rowsBefore = await page.locator('#days-body tr').count();

// Focus on something, then five responses arrive.
await page.locator('#results-refresh a').focus();
let sent = 0;
for (const t of tokens) {
  const body = new URLSearchParams({ _token: t, 'most-important': 'talk', age: '14-15', district: 'northvale' });
  body.append('make-better[]', 'sport');
  body.append('make-better[]', 'food');
  const r = await fetch(postUrl, { method: 'POST', body, redirect: 'manual' });
  if (r.status === 303) sent++;
}
check('five responses sent', sent === tokens.length && sent === 5, `(${sent})`);
const want = String(Number(before) + 5);
await page.waitForFunction((w) => document.querySelector('[data-k="responses"]').textContent === w, want,
  { timeout: 15000 }).catch(() => {});
const after = await page.locator('[data-k="responses"]').first().textContent();
check('the count moves without a reload', after === want, `(${before} -> ${after})`);
const said = await page.locator('#results-announce').textContent();
check('the change is announced once, politely', said === `The results have changed: ${want} survey responses.`, said);
const focused = await page.evaluate(() => document.activeElement && document.activeElement.matches('#results-refresh a'));
check('focus stays where it was', focused);
const rowsAfter = await page.locator('#days-body tr').count();
check('today\'s row joins the day table', rowsAfter > rowsBefore, `(${rowsBefore} -> ${rowsAfter})`);
await sleep(2500);
check('it is said once, not at every read', (await page.locator('#results-announce').textContent()) === said);
const withScript = await page.evaluate(shown);
await page.screenshot({ path: `${shots}/results-live-1280.png`, fullPage: true });

// The same counts as the server draws them, without JavaScript.
const plain = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
await plain.addCookies([cookie]);
const p2 = await plain.newPage();
await p2.goto(url, { waitUntil: 'load' });
const server = await p2.evaluate(shown);
for (const k of Object.keys(server))
  check(`what the script shows equals the page as served: ${k}`,
    JSON.stringify(withScript[k]) === JSON.stringify(server[k]),
    `\n  script: ${JSON.stringify(withScript[k]).slice(0, 400)}\n  server: ${JSON.stringify(server[k]).slice(0, 400)}`);
check('some count is published as <5 or [c] (the comparison covers suppression)',
  JSON.stringify(server.cells).includes('<5') || JSON.stringify(server.cells).includes('[c]'));
const noJs = await p2.locator('#results-refresh').textContent();
check('without JavaScript the page says how to refresh', /refresh the page to count again/.test(noJs), noJs);
await plain.close();

// Hidden: no reads; seen again: reads.
await page.evaluate(() => {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
  document.dispatchEvent(new Event('visibilitychange'));
});
await sleep(300);
const hiddenFrom = reads;
await sleep(3500);
check('no reads while the tab is hidden', reads === hiddenFrom, `(${reads - hiddenFrom})`);
await page.evaluate(() => {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
  document.dispatchEvent(new Event('visibilitychange'));
});
await sleep(1500);
check('reads again once seen', reads > hiddenFrom, `(${reads - hiddenFrom})`);

// A failed read stops it, visibly.
await page.route('**/results.json', (r) => r.abort());
await page.waitForFunction(() => /stopped updating/.test(document.getElementById('results-when').textContent),
  null, { timeout: 10000 }).catch(() => {});
const note = await page.locator('#results-when').textContent();
check('a failed read shows a note', /^The counts stopped updating at \d\d:\d\d \(the server could not be reached\)\. Refresh the page to start again\.$/.test(note), note);
check('the note is visible', await page.locator('#results-when').isVisible());
const stoppedAt = reads;
await sleep(3000);
check('no reads after it stopped', reads === stoppedAt, `(${reads - stoppedAt})`);
await page.screenshot({ path: `${shots}/results-live-stopped.png` });
await browser.close();
process.exit(done());
