// recovery_print.mjs - a recovery codes page as people see it and print it:
// screenshots at 360x740 and 320x640; the "I have saved these" step, which
// the browser itself holds back until its box is ticked (no script); and
// the page printed to A4: one page, the account's name, the day and the ten
// codes, large and black on white, without the menu, the buttons or the
// step.  Prints checks and "N passed, M failed"; leaves PNGs and the PDF in
// OUT_DIR.
// Usage: node recovery_print.mjs OUT_DIR URL
import { check, done, launch } from './harness.mjs';

const [out, url] = process.argv.slice(2);
const browser = await launch();
try {
  for (const [w, h] of [[360, 740], [320, 640]]) {
    const context = await browser.newContext({ viewport: { width: w, height: h } });
    const page = await context.newPage();
    await page.goto(url);
    const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
    check(`recovery codes at ${w}x${h}: no sideways scrolling`, width <= w, `${width}`);
    await page.screenshot({ path: `${out}/recovery-codes-${w}x${h}.png`, fullPage: true });
    await context.close();
  }

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url);
  await page.click('#saved-step button[type=submit]');
  await page.waitForTimeout(300);
  check('the step: Continue without the box ticked stays on the codes', page.url() === url, page.url());
  await page.check('#saved');
  await Promise.all([page.waitForURL(/\/staff\/account\?done=(codes|second-factor)$/, { timeout: 5000 }),
                     page.click('#saved-step button[type=submit]')]);
  check('... ticked, it goes on to Your account saying so', /done=(codes|second-factor)$/.test(page.url()), page.url());

  await page.goto(url);
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() => [...document.querySelectorAll('.site-header, .skip-link, .no-print, form, button')]
    .filter(e => e.getClientRects().length > 0).map(e => e.className || e.tagName));
  check('printed: no menu, no buttons, no step', shown.length === 0, shown.join(' '));
  const codes = await page.evaluate(() => [...document.querySelectorAll('.recovery-codes code')].map(c => ({
    text: c.textContent, size: parseFloat(getComputedStyle(c).fontSize), colour: getComputedStyle(c).color,
    visible: c.getBoundingClientRect().width > 0 })));
  check('printed: ten codes, each shown', codes.length === 10 && codes.every(c => c.visible), JSON.stringify(codes.length));
  check('printed: in 18 pt type (24 px)', codes.every(c => c.size >= 24), codes.map(c => c.size).join(' '));
  check('printed: black', codes.every(c => c.colour === 'rgb(11, 12, 12)' || c.colour === 'rgb(0, 0, 0)'),
        codes[0] && codes[0].colour);
  const columns = await page.evaluate(() => new Set([...document.querySelectorAll('.recovery-codes li')]
    .map(li => Math.round(li.getBoundingClientRect().left))).size);
  check('printed: two columns', columns === 2, `${columns}`);
  const heading = await page.evaluate(() => document.querySelector('.recovery-for').textContent);
  check('printed: whose codes, and the day', /^For .+ at Your voice staff, made on \d{4}-\d\d-\d\d\. Each code works once\.$/
        .test(heading), heading);
  await page.pdf({ path: `${out}/recovery-codes.pdf`, format: 'A4', printBackground: true });
  await context.close();
} catch (e) {
  check('the print run finished', false, String(e.message || e).split('\n')[0]);
}
await browser.close();
process.exit(done());
