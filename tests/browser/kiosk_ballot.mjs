// kiosk_ballot.mjs - a ranked ballot on a kiosk (docs/kiosk.md,
// docs/ballot.md): kiosk.js refuses, on the device and before sealing, an
// issue chosen twice and a choice after an empty one, with the very words
// the server's form gives for the same answers (fetched here from
// /s/SURVEY with JavaScript's part left out: a plain POST), in the error
// summary (which takes the focus) and beside the question, its lists marked
// invalid; nothing is queued.  Then a good ranked vote is sealed and sent.
// Prints checks and "N passed, M failed".
// Usage: node kiosk_ballot.mjs BASE KIOSK_URL SURVEY QUESTION
import { check, done, launch } from './harness.mjs';

const [base, kioskUrl, survey, q] = process.argv.slice(2);
const browser = await launch();

// What the server's own form says for these answers: the error summary's text.
async function serverSays(fields) {
  const form = await (await fetch(`${base}/s/${survey}`)).text();
  const token = (form.match(/name="_token" value="([0-9a-f]+)"/) || [])[1];
  const body = new URLSearchParams({ _token: token, ...fields });
  const res = await fetch(`${base}/s/${survey}`, { method: 'POST', body, redirect: 'manual' });
  const page = await res.text();
  const list = (page.match(/class="error-summary"[\s\S]*?<ul[^>]*>([\s\S]*?)<\/ul>/) || [])[1] || '';
  return { status: res.status, text: list.replace(/<[^>]*>/g, '').replace(/&ndash;/g, '\u2013').trim() };
}

const waiting = page => page.evaluate(() =>
  Object.keys(localStorage).filter(k => k.startsWith('yv-kiosk-answers:')).length);

try {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(kioskUrl);
  await page.waitForFunction(() => /Kiosk ready/.test(document.getElementById('kiosk-status').textContent),
                             null, { timeout: 20000 });
  check('the ballot kiosk starts', true);
  const lists = await page.locator(`#kiosk-form select[name^="${q}"]`).count();
  check('  ... with a labelled list per choice', lists === 3, `${lists}`);

  const cases = [
    ['an issue chosen twice', { [q]: 'online', [`${q}.2`]: 'online' }, ['online', 'online', '']],
    ['a second choice without a first', { [`${q}.2`]: 'bullying' }, ['', 'bullying', '']],
    ['a third choice without a second', { [q]: 'jobs', [`${q}.3`]: 'sport' }, ['jobs', '', 'sport']],
  ];
  for (const [what, fields, picks] of cases) {
    const server = await serverSays(fields);
    check(`${what}: the server's form refuses it (422)`, server.status === 422, `${server.status}`);
    for (let r = 0; r < 3; r++)
      await page.selectOption(`#${q}-choice-${r + 1}`, picks[r]);
    await page.click('#kiosk-form button[type=submit]');
    const summary = page.locator('.error-summary');
    check(`  ... kiosk.js refuses it on the device, in the error summary`, await summary.isVisible());
    const said = (await summary.locator('ul').textContent()).trim();
    check(`  ... in the server's words ("${said}")`, said === server.text && said.length > 0,
          `server: "${server.text}"`);
    check('  ... the summary has the focus',
          await page.evaluate(() => document.activeElement.classList.contains('error-summary')));
    check('  ... the message is beside the question',
          (await page.locator(`#${q}-error`).textContent()).includes(said));
    const invalid = await page.locator(`#kiosk-form select[aria-invalid="true"]`).count();
    check('  ... its lists are marked invalid', invalid === 3, `${invalid}`);
    check('  ... the summary links to the first list',
          await summary.locator('a').getAttribute('href') === `#${q}-choice-1`);
    check('  ... and nothing is sealed or waiting', await waiting(page) === 0);
  }

  await page.selectOption(`#${q}-choice-1`, 'online');
  await page.selectOption(`#${q}-choice-2`, 'bullying');
  await page.selectOption(`#${q}-choice-3`, 'jobs');
  await page.click('#kiosk-form button[type=submit]');
  await page.locator('#kiosk-thanks').waitFor({ state: 'visible', timeout: 10000 });
  check('a good ranked vote is taken', true);
  check('  ... the earlier error summary is gone', (await page.locator('.error-summary').count()) === 0);
  await page.waitForFunction(() => !Object.keys(localStorage).some(k => k.startsWith('yv-kiosk-answers:')),
                             null, { timeout: 20000 });
  check('  ... and sent: nothing waits on the tablet', true);
  check('no script errors', errors.length === 0, errors.join('; '));
} catch (e) {
  check('the ballot kiosk run finished', false, String(e.message || e).split('\n')[0]);
}
await browser.close();
process.exit(done());
