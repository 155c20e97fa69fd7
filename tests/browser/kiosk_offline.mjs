// kiosk_offline.mjs - a kiosk on a 768x1024 tablet that loses its network
// (docs/kiosk.md).  Opens the kiosk link, goes offline, takes 20 people's
// answers one after another, and checks after each that the page starts
// afresh with nothing of them left (form empty, no history entry); while
// offline, that the tablet's storage holds no answer in the clear; that with
// the tab closed offline and the kiosk opened again online (its plain
// address: the token stayed on the tablet) every answer is sent and the
// queue empties; then that Back
// and Forward show no earlier answers, that a missing answer is caught on
// the device, and that a switched-off kiosk keeps what waits, locked, until
// Prints checks and "N passed, M failed"; writes the markers it typed, one a
// line, to MARKERS for the caller to find in the store.
// the answer waiting is sent once a new kiosk for the survey is opened there.
// Usage: node kiosk_offline.mjs BASE KIOSK_URL MARKERS [SWITCH_OFF_CMD NEW_KIOSK_CMD]
import { check, done, launch } from './harness.mjs';
import { writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const [base, kioskUrl, markersFile, switchOff, newKiosk] = process.argv.slice(2);
const N = 20;
const browser = await launch();
const status = page => page.locator('#kiosk-status').textContent();
const options = ['talk', 'mental-health', 'safe', 'online', 'future', 'bullying'];
const markers = [];

// Everything the tablet keeps for this site, as text.
async function storageDump(page, context) {
  const local = await page.evaluate(async () => {
    const out = { local: {}, session: {}, idb: [], caches: [] };
    for (let i = 0; i < localStorage.length; i++) out.local[localStorage.key(i)] = localStorage.getItem(localStorage.key(i));
    for (let i = 0; i < sessionStorage.length; i++) out.session[sessionStorage.key(i)] = sessionStorage.getItem(sessionStorage.key(i));
    if (indexedDB.databases) out.idb = await indexedDB.databases();
    if (self.caches) out.caches = await caches.keys();
    return out;
  });
  local.cookies = await context.cookies();
  return local;
}

async function answer(page, i) {
  const marker = `kiosk marker ${i} ${Math.random().toString(36).slice(2, 10)}`;
  markers.push(marker);
  await page.check(`#most-important-${options[i % options.length]}`);
  await page.check('#make-better-sport');
  await page.check('#make-better-transport');
  await page.fill('#tell-us', `${marker}, write to me at kid${i}@example.com`);
  await page.check('#age-14-15');
  await page.check('#district-eastbrook');
  await page.click('#kiosk-form button[type=submit]');
  await page.locator('#kiosk-thanks').waitFor({ state: 'visible', timeout: 10000 });
}

// 1 if nothing of an answer is on the page: every box empty, nothing chosen.
const blankForm = page => page.evaluate(() => {
  const f = document.getElementById('kiosk-form');
  const chosen = f.querySelectorAll('input:checked').length;
  const typed = [...f.querySelectorAll('textarea, input[type=text]')].some(e => e.value !== '');
  return chosen === 0 && !typed && !document.body.innerText.includes('kiosk marker');
});

try {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
  let page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  // A request that fails offline, or a refusal, is logged by the browser
  // itself; any other console error is the page's.
  page.on('console', m => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${base}/`);
  await page.goto(kioskUrl);
  await page.waitForFunction(() => /Kiosk ready/.test(document.getElementById('kiosk-status').textContent),
                             null, { timeout: 20000 });
  check('the kiosk starts and says it is ready', true);
  check('the token is gone from the address bar', !page.url().includes('#'), page.url());
  const historyLength = await page.evaluate(() => history.length);

  // A missing answer is caught on the device, with an error summary.
  await page.click('#kiosk-form button[type=submit]');
  check('sending with nothing chosen shows the error summary', await page.locator('.error-summary').isVisible());
  check('  ... which has the focus', await page.evaluate(() => document.activeElement.classList.contains('error-summary')));
  check('  ... and names the first question', /Choose the one that matters most/.test(await page.locator('.error-summary').textContent()));
  check('  ... and nothing waits to be sent', !/waiting/.test(await status(page)));

  await context.setOffline(true);
  for (let i = 0; i < N; i++) {
    await answer(page, i);
    if (!(await blankForm(page))) check(`after person ${i + 1} the form is blank`, false);
    await page.click('#kiosk-next');
    if (i === 0) {
      check('after a response the form is blank, nothing chosen or typed', await blankForm(page));
      check('  ... the next person starts at the top, the form shown', await page.locator('#kiosk-form').isVisible());
      check('  ... and the earlier error summary is gone', (await page.locator('.error-summary').count()) === 0);
    }
  }
  check(`${N} people answered offline, each starting blank`, await blankForm(page));
  check('no response added a history entry', await page.evaluate(() => history.length) === historyLength);
  await page.waitForTimeout(300);
  const waiting = await status(page);
  check(`the status says ${N} answers are waiting`, waiting.includes(`${N} answers waiting`), waiting);

  const dump = await storageDump(page, context);
  const text = JSON.stringify(dump);
  const queued = Object.keys(dump.local).filter(k => k.startsWith('yv-kiosk-answers:'));
  check(`the tablet keeps ${N} sealed boxes`, queued.length === N, `${queued.length}`);
  const clear = [...markers, 'kiosk marker', '@example.com', 'most-important', 'make-better', 'tell-us',
    'eastbrook', 'district', 'transport', 'sport', 'mental-health', '14-15'];
  const seen = clear.filter(w => text.includes(w));
  check('nothing of an answer is readable in localStorage, sessionStorage, IndexedDB, caches or cookies',
        seen.length === 0, seen.join(', '));
  const lengths = new Set(queued.map(k => JSON.parse(dump.local[k]).b.length));
  check('every sealed box has the same length (how much was written does not show)', lengths.size === 1, [...lengths].join(','));
  check('no IndexedDB, Cache Storage or cookie is used', dump.idb.length === 0 && dump.caches.length === 0 && dump.cookies.length === 0);

  // The tab is closed while offline; the wifi comes back; the kiosk is
  // opened again from its plain address (the token stayed on the tablet).
  await page.close();
  await context.setOffline(false);
  page = await context.newPage();
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(`${base}/`);
  await page.goto(`${base}/k/what-matters`);
  await page.waitForFunction(() => /All answers sent/.test(document.getElementById('kiosk-status').textContent),
                             null, { timeout: 60000 });
  check('after the tab was closed offline, the kiosk reopened online sends every answer and says so', true);
  const after = await storageDump(page, context);
  check('  ... and the tablet keeps none', !Object.keys(after.local).some(k => k.startsWith('yv-kiosk-answers:')));

  // Back and Forward after a response: no earlier answers anywhere.
  await answer(page, N);
  await page.waitForFunction(() => /All answers sent/.test(document.getElementById('kiosk-status').textContent),
                             null, { timeout: 20000 });
  await page.goBack();
  check('Back leaves the kiosk for the page before it', page.url() === `${base}/`, page.url());
  check('  ... which shows no answer', !(await page.content()).includes('kiosk marker'));
  await page.goForward();
  await page.locator('#kiosk-form').waitFor({ timeout: 10000 });
  check('Forward again brings a blank kiosk, no answer restored', await blankForm(page));
  check('  ... with its form showing, not the last thank-you', await page.locator('#kiosk-form').isVisible());

  // Switched off while an answer waits offline: it stays, locked.
  if (switchOff) {
    await page.waitForFunction(() => /Kiosk ready/.test(document.getElementById('kiosk-status').textContent),
                               null, { timeout: 20000 });
    await context.setOffline(true);
    await answer(page, N + 1);
    await page.click('#kiosk-next');
    execSync(switchOff);
    await context.setOffline(false);
    await page.waitForFunction(() => /switched off/.test(document.getElementById('kiosk-status').textContent),
                               null, { timeout: 20000 });
    check('a switched-off kiosk says so', /1 answer waits on this tablet, locked/.test(await status(page)), await status(page));
    const kept = await storageDump(page, context);
    check('  ... and keeps the answer waiting, sealed', Object.keys(kept.local).filter(k => k.startsWith('yv-kiosk-answers:')).length === 1);
    // A new kiosk for the survey, opened on the same tablet, sends it.
    await page.goto(execSync(newKiosk).toString().trim());
    await page.waitForFunction(() => /All answers sent/.test(document.getElementById('kiosk-status').textContent),
                               null, { timeout: 20000 });
    check('a new kiosk opened on the tablet sends what the old one kept', true);
  }
  check('no script errors', errors.length === 0, errors.join('; '));
  await context.close();
} catch (e) {
  check('the kiosk run finished', false, String(e.message || e).split('\n')[0]);
}
writeFileSync(markersFile, markers.join('\n') + '\n');
await browser.close();
process.exit(done());
