// tally_offline.mjs - the tally page on a tablet in a sports hall with bad
// wifi.  On a fresh event (every count starts at 0), each scenario uses its
// own options, so the shell can check the stored counts and rows after:
//   1/early-help-families  5 taps online: nothing announced per tap; -1 +1 -> 5
//   2/online-safety        3 taps offline, then online                      -> 3
//   3/transport            +5 -1 offline, signed out in another tab, back
//                          online ("Sign in again to send 6 taps"), signed
//                          in through the page's link                       -> 4
//   4/young-carers         2 taps and a reload while offline, 2 in a tab
//                          closed while offline, 2 and a reload while the
//                          server cannot be reached                          -> 6
//   5/mental-health        +1 +1, total 40, +1, all offline                 -> 41
//   5/healthy-food         taps answered 503 and 403 (kept, sent later) and
//                          400 (dropped), the answers made up in the test   -> 2
//   5/sport-activity       totals 7 then 9, offline: the last one wins      -> 9
//   1/healthy-food         1 tap left by the earlier page (localStorage)    -> 1
//   3/information-education  a tap each on a tablet without IndexedDB and one
//                          whose storage is full: plain form posts          -> 2
//   4/send                 2 taps offline, the browser closed, reopened;
//                          then a tap after the event was closed: refused   -> 2
// and the layout: each stall fits 768x1024 below the sticky bar; tap
// targets; 360x740 and 320 px wide.  Prints checks and "N passed, M failed".
// Usage: node tally_offline.mjs BASE NAME PASSWORD EVENT_ID
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, name, password, ev] = process.argv.slice(2);
const tallyUrl = `${base}/staff/events/${ev}`;
let passed = 0, failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); }
  else { failed++; console.log(`FAIL - ${what} ${detail}`); }
}
const launch = {
  executablePath: process.env.PAGE_AUDIT_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage'],
};
const tablet = { viewport: { width: 768, height: 1024 }, hasTouch: true };

async function signIn(page) {
  await page.goto(`${base}/staff/login`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}/staff`), page.click('main button[type=submit]')]);
}
const opt = (page, p, t) => page.locator(`#opt-${p}-${t}`);
const shown = (page, p, t) => opt(page, p, t).locator('.count').textContent().then(Number);
const tap = (page, p, t, which = 'plus') => opt(page, p, t).locator(`button.tally-${which}`).click();
const text = (page, id) => page.locator(`#${id}`).textContent();
async function saved(page, timeout = 15000) {
  await page.waitForFunction(() => /^All changes saved/.test(document.getElementById('tally-status').textContent),
                             null, { timeout });
}
// The script has read the device's queue and painted the counts.
const painted = page => page.waitForFunction(
  () => !/^Each tap/.test(document.getElementById('tally-status').textContent));
// Tells the page the network is back, as the browser does, rather than
// waiting for its next try.
const nudge = page => page.evaluate(() => window.dispatchEvent(new Event('online')));
// The count the server has stored, from a fresh copy of the tally page.
async function stored(context, p, t) {
  const html = await (await context.request.get(tallyUrl)).text();
  const m = new RegExp(`id="opt-${p}-${t}"><span class="option-name">[^<]*</span> <span class="count">(\\d+)<`).exec(html);
  return m ? Number(m[1]) : NaN;
}
// One tab offline while the others stay online (what setOffline does to a
// whole context, for one page).
const sessions = new Map();
async function pageOffline(page, offline) {
  if (!sessions.has(page)) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    sessions.set(page, cdp);
  }
  await sessions.get(page).send('Network.emulateNetworkConditions',
                                { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
}
// What the polite live region says, in order.
async function listen(page) {
  await page.evaluate(() => {
    const el = document.getElementById('tally-announce');
    window.said = [];
    new MutationObserver(() => { if (el.textContent) window.said.push(el.textContent); })
      .observe(el, { childList: true, characterData: true, subtree: true });
  });
}
const said = page => page.evaluate(() => window.said.slice());
// Waits (a few seconds at most) until the live region has said text n times.
const heard = (page, text, n = 1) => page.waitForFunction(
  ([t, k]) => window.said.filter(x => x === t).length >= k, [text, n], { timeout: 5000 }).catch(() => {});
// Changes of this event waiting in the tablet's IndexedDB.
const onDevice = page => page.evaluate(ev => new Promise((resolve, reject) => {
  const r = indexedDB.open('youthvoice-tally', 1);
  r.onsuccess = () => {
    const q = r.result.transaction('changes').objectStore('changes').index('event').count(ev);
    q.onsuccess = () => { resolve(q.result); r.result.close(); };
    q.onerror = () => reject(q.error);
  };
  r.onerror = () => reject(r.error);
}), ev);
// Every read-write transaction the page opens, with the durability it asks for.
const recordDurability = () => {
  const orig = IDBDatabase.prototype.transaction;
  window.durability = [];
  IDBDatabase.prototype.transaction = function (stores, mode, options) {
    if (mode === 'readwrite') window.durability.push(options && options.durability);
    return orig.apply(this, arguments);
  };
};

const browser = await chromium.launch(launch);
const start = Date.now();
try {
  const context = await browser.newContext(tablet);
  await context.addInitScript(recordDurability);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await signIn(page);
  check('signed in', page.url() === `${base}/staff`, page.url());
  await page.goto(tallyUrl);
  await listen(page);

  // --- taps online: saved, nothing announced per tap ---
  for (let i = 0; i < 5; i++) await tap(page, 1, 'early-help-families');
  await saved(page);
  await page.waitForTimeout(1300);
  check('5 taps online are saved', await shown(page, 1, 'early-help-families') === 5);
  check('  ... with no announcement per tap', (await said(page)).length === 0, JSON.stringify(await said(page)));
  check('  ... the bar says when the last change was saved', /^Last saved at \d/.test(await text(page, 'tally-saved')),
        await text(page, 'tally-saved'));

  await tap(page, 2, 'bullying', 'minus');
  check('a -1 at zero is refused on the page, nothing queued',
        await text(page, 'tally-problem') === 'The count for Bullying cannot go below zero.' &&
        await shown(page, 2, 'bullying') === 0 && await onDevice(page) === 0, await text(page, 'tally-problem'));
  await tap(page, 1, 'early-help-families', 'minus');
  await saved(page);
  await tap(page, 1, 'early-help-families');
  await saved(page);
  check('  ... the next tap clears that message', await page.locator('#tally-problem').isHidden());

  // --- taps offline ---
  await page.waitForTimeout(1100);       /* what was said about that -1 is said */
  await page.evaluate(() => { window.said.length = 0; });
  await context.setOffline(true);
  for (let i = 0; i < 3; i++) await tap(page, 2, 'online-safety');
  check('taps show at once while offline', await shown(page, 2, 'online-safety') === 3);
  await heard(page, 'No connection. Changes are kept on this tablet and sent when it returns.');
  check('the bar says 3 taps are waiting', /^3 taps waiting to be sent/.test(await text(page, 'tally-status')),
        await text(page, 'tally-status'));
  check('  ... and that the tablet is offline, keeping them', /No connection: changes are kept on this tablet/.test(
        await text(page, 'tally-net')));
  check('  ... announced once, politely', JSON.stringify(await said(page)) ===
        '["No connection. Changes are kept on this tablet and sent when it returns."]', JSON.stringify(await said(page)));
  check('the page stayed on the tally page (no form post)', page.url() === tallyUrl, page.url());
  const bar = await page.locator('#tally-bar').boundingBox();
  await page.mouse.wheel(0, 1500);
  await page.waitForTimeout(200);
  const barLater = await page.locator('#tally-bar').boundingBox();
  check('the bar stays in view while scrolling down the stalls', barLater.y === 0 && barLater.height === bar.height,
        JSON.stringify(barLater));
  await context.setOffline(false);
  await saved(page);
  await heard(page, 'All changes sent.');
  check('the queue empties when the network returns', await onDevice(page) === 0);
  check('  ... announced once', (await said(page)).at(-1) === 'All changes sent.', JSON.stringify(await said(page)));
  check('  ... the server has exactly the 3 taps', await stored(context, 2, 'online-safety') === 3);

  // --- offline, signed out in another tab, back online, signed in again ---
  await pageOffline(page, true);
  for (let i = 0; i < 5; i++) await tap(page, 3, 'transport');
  await tap(page, 3, 'transport', 'minus');
  check('+5 -1 offline shows 4', await shown(page, 3, 'transport') === 4);
  const other = await context.newPage();
  await other.goto(`${base}/staff`);
  await Promise.all([other.waitForURL(`${base}/staff/login`), other.click('.staff-nav button')]);
  check('signed out in another tab', other.url() === `${base}/staff/login`);
  await pageOffline(page, false);
  await page.waitForSelector('#tally-signin:not([hidden])', { timeout: 15000 });
  check('back online, the page says "Sign in again to send 6 taps"',
        await text(page, 'tally-signin-text') === 'Sign in again to send 6 taps.', await text(page, 'tally-signin-text'));
  check('  ... the 6 taps still wait on the tablet', await onDevice(page) === 6);
  check('  ... and still count on the page', await shown(page, 3, 'transport') === 4);
  await heard(page, 'Signed out. Sign in again to send 6 taps.');
  check('  ... announced politely', (await said(page)).includes('Signed out. Sign in again to send 6 taps.'),
        JSON.stringify(await said(page)));
  const link = page.locator('#tally-signin a');
  check('  ... with a link to sign in in a new tab',
        await link.getAttribute('href') === '/staff/login' && await link.getAttribute('target') === '_blank');
  const [signin] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await signin.waitForLoadState();
  await signin.fill('#name', name);
  await signin.fill('#password', password);
  await Promise.all([signin.waitForURL(`${base}/staff`), signin.click('main button[type=submit]')]);
  check('signed in again in the new tab', signin.url() === `${base}/staff`);
  await saved(page);
  await heard(page, 'All changes sent.', 2);
  check('the tally page sent its taps with a fresh token', await onDevice(page) === 0);
  check('  ... and no longer asks to sign in', await page.locator('#tally-signin').isHidden());
  check('  ... announced', (await said(page)).at(-1) === 'All changes sent.', JSON.stringify(await said(page)));
  const transport = await stored(context, 3, 'transport');
  check('every tap arrived once: the page shows what the server stored (4)',
        transport === 4 && await shown(page, 3, 'transport') === transport, `${transport}`);
  check('the page\'s forms carry the new session\'s token',
        await page.locator('input[name="_csrf"]').first().inputValue() ===
        JSON.parse(await (await context.request.get(`${tallyUrl}/csrf`, { headers: { Accept: 'application/json' } })).text()).csrf);
  await signin.close();
  await other.close();

  // --- a reload while offline; a tab closed while offline; a reload while the
  //     server cannot be reached ---
  await context.setOffline(true);
  await tap(page, 4, 'young-carers');
  await tap(page, 4, 'young-carers');
  await page.waitForFunction(() => /^2 taps waiting/.test(document.getElementById('tally-status').textContent));
  check('a reload while offline fails (the browser has no copy of the page)',
        await page.reload().then(() => false, () => true));
  await context.setOffline(false);
  await page.goto(tallyUrl);
  await saved(page);
  check('  ... back online, the 2 taps kept through it arrive once', await stored(context, 4, 'young-carers') === 2);
  let closing = await context.newPage();
  await closing.goto(tallyUrl);
  await context.setOffline(true);
  await tap(closing, 4, 'young-carers');
  await tap(closing, 4, 'young-carers');
  await closing.waitForFunction(() => /^2 taps waiting/.test(document.getElementById('tally-status').textContent));
  await page.waitForTimeout(300);
  await closing.close();
  await context.setOffline(false);
  closing = await context.newPage();
  await closing.goto(tallyUrl);
  await saved(closing);
  check('2 taps from a tab closed while offline arrive once', await stored(context, 4, 'young-carers') === 4);
  await closing.close();
  await page.route(`${tallyUrl}/tally`, route => route.abort('internetdisconnected'));
  await tap(page, 4, 'young-carers');
  await tap(page, 4, 'young-carers');
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForFunction(() => /^2 taps waiting/.test(document.getElementById('tally-status').textContent));
  check('after a reload the 2 unsent taps still wait, and still count on the page',
        await shown(page, 4, 'young-carers') === 6 && await onDevice(page) === 2);
  await page.unroute(`${tallyUrl}/tally`);
  await nudge(page);
  await saved(page);
  check('  ... and arrive once', await stored(context, 4, 'young-carers') === 6);

  // --- answers that keep a change, and one that refuses it (made up here) ---
  for (const [status, error, kept] of [[503, 'unavailable', true], [403, 'forbidden', true], [400, 'invalid', false]]) {
    await page.route(`${tallyUrl}/tally`, route => route.fulfill(
      { status, contentType: 'application/json', body: JSON.stringify({ error, message: `Made up: ${error}.` }) }));
    await tap(page, 5, 'healthy-food');
    await page.waitForFunction(k => k ? /^1 tap waiting/.test(document.getElementById('tally-status').textContent)
                                      : !document.getElementById('tally-problem').hidden, kept);
    check(kept ? `a ${status} ${error} answer keeps the tap on the device`
               : `a ${status} ${error} answer drops the tap and says why`,
          kept ? await onDevice(page) === 1 :
          await onDevice(page) === 0 && await text(page, 'tally-problem') ===
          'A tap for Healthy food and holiday hunger was not saved: Made up: invalid.', await text(page, 'tally-problem'));
    await page.unroute(`${tallyUrl}/tally`);
    await nudge(page);
    await saved(page);
  }
  check('  ... the kept ones arrive once', await stored(context, 5, 'healthy-food') === 2);

  // --- "set the total" offline: queued like a tap, the last one wins ---
  await listen(page);
  await context.setOffline(true);
  await tap(page, 5, 'mental-health');
  await tap(page, 5, 'mental-health');
  await page.click('#count-5 summary');
  check('"Count the stickers" opens as a step of its own',
        await page.locator('#count-5').evaluate(d => d.open) && await page.locator('#total-5-mental-health').isVisible());
  check('  ... saying the last total set wins', /If you set a total more than once, the last one you set counts\./.test(
        await page.locator('#count-5').textContent()));
  const setTotal = async (theme, value) => {
    await page.fill(`#total-5-${theme}`, String(value));
    await page.locator(`#total-5-${theme}`).locator('xpath=..').locator('button').click();
  };
  await setTotal('mental-health', 100001);
  check('a total over 100000 is refused on the page',
        await page.locator('#total-5-mental-health-error').textContent() === 'Enter a whole number from 0 to 100000' &&
        await page.locator('#total-5-mental-health').getAttribute('aria-invalid') === 'true');
  await setTotal('mental-health', 40);
  check('a total set offline shows at once', await shown(page, 5, 'mental-health') === 40);
  check('  ... the field is emptied and its error gone', await page.locator('#total-5-mental-health').inputValue() === '' &&
        await page.locator('#total-5-mental-health-error').count() === 0);
  await tap(page, 5, 'mental-health');
  check('  ... a tap after it adds to it (41)', await shown(page, 5, 'mental-health') === 41);
  await setTotal('sport-activity', 7);
  await setTotal('sport-activity', 9);
  check('two totals for one option: the last shows (9)', await shown(page, 5, 'sport-activity') === 9);
  await heard(page, 'Total for Easier access to sport and physical activity set to 9. ' +
             'It waits on this tablet until the connection returns.');
  const kept = await page.evaluate(ev => new Promise(resolve => {
    const r = indexedDB.open('youthvoice-tally', 1);
    r.onsuccess = () => {
      const q = r.result.transaction('changes').objectStore('changes').index('event').getAll(ev);
      q.onsuccess = () => { resolve(q.result); r.result.close(); };
    };
  }), ev);
  check('the tablet keeps only which option, the change, when, and its random id',
        kept.length === 6 && kept.every(c => JSON.stringify(Object.keys(c).sort()) ===
          '["at","event","id","kind","p","seq","t","value"]' && /^[0-9a-f]{24}$/.test(c.id) &&
          typeof c.value === 'number' && typeof c.at === 'number'), JSON.stringify(kept[0]));
  check('the bar says 3 taps and 3 totals are waiting',
        /^3 taps and 3 totals waiting to be sent/.test(await text(page, 'tally-status')), await text(page, 'tally-status'));
  check('  ... the last total set is announced',
        (await said(page)).at(-1) === 'Total for Easier access to sport and physical activity set to 9. ' +
        'It waits on this tablet until the connection returns.', JSON.stringify(await said(page)));
  await context.setOffline(false);
  await saved(page);
  check('online again, the totals arrive once and the last wins: 41 and 9',
        await stored(context, 5, 'mental-health') === 41 && await stored(context, 5, 'sport-activity') === 9);

  // --- a tap left in localStorage by the earlier version of the page ---
  await page.evaluate(() => localStorage.setItem(`yv-tally-queue-${document.querySelector('[data-event]').dataset.event}`,
    JSON.stringify([{ id: 'legacy0000000000000000001', priority: '1', theme: 'healthy-food', delta: '1', csrf: 'old' }])));
  await page.reload();
  await saved(page);
  check('a tap queued by the earlier page is sent once',
        await stored(context, 1, 'healthy-food') === 1 && await page.evaluate(() => localStorage.length === 0 ||
          !Object.keys(localStorage).some(k => k.startsWith('yv-tally-queue-'))));

  const modes = await page.evaluate(() => window.durability);
  check('every write to the device asks for a strict (flushed to disk) transaction',
        modes.length > 0 && modes.every(m => m === 'strict'), JSON.stringify(modes.slice(0, 5)));

  // --- layout on a 768x1024 tablet: each stall fits below the sticky bar ---
  const links = await page.locator('.stall-nav a').evaluateAll(as => as.map(a => a.getAttribute('href')));
  check('a link to each of the 5 stalls', JSON.stringify(links) === '["#stall-1","#stall-2","#stall-3","#stall-4","#stall-5"]',
        JSON.stringify(links));
  for (const href of links) {
    await page.click(`.stall-nav a[href="${href}"]`);
    await page.waitForTimeout(100);
    const m = await page.evaluate(id => {
      const s = document.querySelector(id).getBoundingClientRect();
      const b = document.getElementById('tally-bar').getBoundingClientRect();
      return { top: s.top, bottom: s.bottom, bar: b.bottom, vh: innerHeight,
               options: document.querySelectorAll(`${id} .option`).length };
    }, href);
    check(`stall ${href.slice(7)} (${m.options} options) fits 768x1024 below the bar: ` +
          `${Math.round(m.bottom - m.top)} px from ${Math.round(m.top)} to ${Math.round(m.bottom)}`,
          m.top >= m.bar - 0.5 && m.bottom <= m.vh, JSON.stringify(m));
  }
  const box = sel => page.locator(sel).first().boundingBox();
  const plus = await box('#opt-3-transport button.tally-plus');
  const minus = await box('#opt-3-transport button.tally-minus');
  const countBox = await box('#opt-3-transport .count');
  check(`the +1 is large (${Math.round(plus.width)}x${Math.round(plus.height)})`, plus.width >= 300 && plus.height >= 80);
  check(`the -1 is beside it, at least 44x44 (${Math.round(minus.width)}x${Math.round(minus.height)})`,
        minus.width >= 44 && minus.height >= 44 && minus.x + minus.width <= plus.x && Math.abs(minus.y - plus.y) < 2);
  check('the count is beside them', countBox.x + countBox.width <= minus.x &&
        countBox.y >= plus.y - 1 && countBox.y + countBox.height <= plus.y + plus.height + 1);
  const small = await page.evaluate(() => [...document.querySelectorAll(
    '.tally button, .tally a, .tally summary, .tally input:not([type=hidden])')].map(e => e.getBoundingClientRect())
    .filter(r => r.width > 0 && (r.width < 44 || r.height < 44)).length);
  check('every button, link, summary and field on the tally is at least 44x44', small === 0, `${small} smaller`);
  check('no script errors', errors.length === 0, errors.join('; '));
  await context.close();

  // --- phones: 360x740 and 320 px wide ---
  for (const viewport of [{ width: 360, height: 740 }, { width: 320, height: 640 }]) {
    const phone = await browser.newContext({ viewport, hasTouch: true });
    const p = await phone.newPage();
    await signIn(p);
    await p.goto(tallyUrl);
    await p.click('.stall-nav a[href="#stall-2"]');
    const m = await p.evaluate(() => ({
      width: document.scrollingElement.scrollWidth,
      small: [...document.querySelectorAll('.tally button, .tally a, .tally summary')]
        .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && (r.width < 44 || r.height < 44)).length,
      names: [...document.querySelectorAll('.stall-nav a')].map(a => a.textContent).join(','),
      top: document.getElementById('stall-2').getBoundingClientRect().top,
      bar: document.getElementById('tally-bar').getBoundingClientRect().bottom,
    }));
    check(`${viewport.width}x${viewport.height}: no sideways scrolling, targets at least 44x44, stall links ` +
          'named "Stall N", a jump lands below the bar',
          m.width <= viewport.width && m.small === 0 && m.names === 'Stall 1,Stall 2,Stall 3,Stall 4,Stall 5' &&
          m.top >= m.bar - 0.5, JSON.stringify(m));
    await tap(p, 2, 'knife-crime');
    await saved(p);
    check(`${viewport.width}x${viewport.height}: a tap is saved`, await stored(phone, 2, 'knife-crime') ===
          (viewport.width === 360 ? 1 : 2));
    await phone.close();
  }

  // --- a tablet that cannot keep changes: the buttons post as plain forms ---
  const noStorage = [
    ['without IndexedDB', () => { Object.defineProperty(window, 'indexedDB', { value: undefined }); }],
    ['with its storage full', () => {
      IDBObjectStore.prototype.add = () => { throw new DOMException('full', 'QuotaExceededError'); };
    }],
  ];
  for (const [how, init] of noStorage) {
    const plain = await browser.newContext(tablet);
    await plain.addInitScript(init);
    const p = await plain.newPage();
    await signIn(p);
    await p.goto(tallyUrl);
    const before = await shown(p, 3, 'information-education');
    await Promise.all([p.waitForURL(`${tallyUrl}#opt-3-information-education`),
                       tap(p, 3, 'information-education')]);
    check(`${how}, a tap posts the form and comes back to its option, counted`,
          await shown(p, 3, 'information-education') === before + 1 &&
          await stored(plain, 3, 'information-education') === before + 1);
    await plain.close();
  }
} catch (e) {
  check('the tally run finished', false, String(e.message || e).split('\n')[0]);
}
await browser.close();

// --- the browser closed with taps waiting (as when a tablet dies) ---
const profile = mkdtempSync(join(tmpdir(), 'yv-tally-profile-'));
let page = null;
try {
  let persistent = await chromium.launchPersistentContext(profile, { ...launch, ...tablet });
  page = await persistent.newPage();
  await signIn(page);
  await page.goto(tallyUrl);
  await persistent.setOffline(true);
  await tap(page, 4, 'send');
  await tap(page, 4, 'send');
  await page.waitForFunction(() => /^2 taps waiting/.test(document.getElementById('tally-status').textContent));
  for (let i = 0; i < 50 && await onDevice(page) < 2; i++) await page.waitForTimeout(100);
  check('2 taps offline are on the device', await onDevice(page) === 2);
  await persistent.close();
  persistent = await chromium.launchPersistentContext(profile, { ...launch, ...tablet });
  for (const old of persistent.pages()) await old.close();
  page = await persistent.newPage();
  await page.goto(tallyUrl);
  check('the browser reopened: its session is gone, so sign in', page.url() === `${base}/staff/login`, page.url());
  await signIn(page);
  await page.goto(tallyUrl);
  await painted(page);
  check('  ... the 2 taps kept on the device count on the page', await shown(page, 4, 'send') === 2);
  await saved(page);
  check('  ... and arrive once', await stored(persistent, 4, 'send') === 2);

  // --- refused for good: the event closed in another tab ---
  const closer = await persistent.newPage();
  await closer.goto(tallyUrl);
  await Promise.all([closer.waitForURL(`${tallyUrl}/close`), closer.click('form[action$="/close"] button')]);
  await Promise.all([closer.waitForURL(tallyUrl), closer.click('form[action$="/close"] button')]);
  await tap(page, 4, 'send');
  await page.waitForSelector('#tally-problem:not([hidden])');
  check('a tap after the event was closed elsewhere is refused, and the page says why',
        await text(page, 'tally-problem') ===
        'A tap for Special educational needs was not saved: This event is closed: its tallies are locked.',
        await text(page, 'tally-problem'));
  await saved(page);
  check('  ... it no longer waits, and the count is the server\'s again',
        await onDevice(page) === 0 && await shown(page, 4, 'send') === 2);
  await persistent.close();
} catch (e) {
  check('the browser-closed run finished', false, String(e.message || e).split('\n').slice(0, 6).join(' | ') +
        (page ? ` | at ${page.url()}: ` + (await page.textContent('main').catch(() => '')).slice(0, 300) : ''));
}
rmSync(profile, { recursive: true, force: true });
console.log(`# ${((Date.now() - start) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
