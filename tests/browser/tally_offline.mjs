// tally_offline.mjs - the tally page on a tablet that loses its network:
// sign in, open the event, go offline, tap +1 three times (the count moves
// at once and the taps wait on the device), come back online, and check the
// taps reach the server exactly once.  Prints checks and "N passed, M failed".
// Usage: node tally_offline.mjs BASE NAME PASSWORD EVENT_ID PRIORITY THEME
import { chromium } from 'playwright-core';

const [base, name, password, eventId, priority, theme] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); }
  else { failed++; console.log(`FAIL - ${what} ${detail}`); }
}

const browser = await chromium.launch({
  executablePath: process.env.PAGE_AUDIT_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage'],
});
try {
  const context = await browser.newContext({ viewport: { width: 800, height: 1200 }, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(`${base}/staff/login`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}/staff`), page.click('button[type=submit].button')]);
  check('signed in', page.url() === `${base}/staff`, page.url());

  await page.goto(`${base}/staff/events/${eventId}`);
  const option = page.locator(`#opt-${priority}-${theme}`);
  const count = () => option.locator('.count').textContent().then(Number);
  const before = await count();

  await context.setOffline(true);
  const plus = option.locator('form.tally-form button.tally-plus');
  for (let i = 0; i < 3; i++) await plus.click();
  check('taps show at once while offline', await count() === before + 3, `${await count()}`);
  await page.waitForTimeout(300);
  check('the page says the taps are waiting', /waiting/.test(await page.locator('#tally-status').textContent()));
  check('the page stayed on the tally page (no form post)', page.url().startsWith(`${base}/staff/events/${eventId}`));

  await context.setOffline(false);
  await page.waitForFunction(() => /All taps saved/.test(document.getElementById('tally-status').textContent),
                             null, { timeout: 20000 });
  check('the queue empties when the network returns', true);
  await page.reload();
  check('after a reload the server has exactly the three taps', await count() === before + 3, `${await count()}`);
  check('no script errors', errors.length === 0, errors.join('; '));
} catch (e) {
  check('the offline tally run finished', false, String(e.message || e).split('\n')[0]);
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
