// ballot.mjs - the youth ballot by keyboard alone, with JavaScript off as a
// young person on a cheap phone may have it: Tab to "Your first choice",
// choose with the arrow keys, Tab on, choose the same issue again as the
// second choice, send with Enter; the error summary takes the focus and its
// link brings the focus back to the lists; a different second choice, a
// third, Enter: the thanks page.  Then screenshots of the ballot page, its
// error page and the staff pages given, at 360x740 and 320 px, each checked
// for sideways scrolling.
// Usage: node ballot.mjs BALLOT_URL SHOTS_DIR [NAME=URL ...]
import { launch, check, done } from './harness.mjs';

const [url, shots, ...pages] = process.argv.slice(2);
const browser = await launch();

/* Tabs until the element with this id (or, for "send", the send button)
 * has the focus: at most 40 presses. */
async function tabTo(page, id) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const e = document.activeElement;
      return e && e.tagName === 'BUTTON' && e.value === 'submit' ? 'send' : e && e.id;
    });
    if (at === id)
      return true;
  }
  return false;
}
const value = (page, id) => page.evaluate((i) => document.getElementById(i).value, id);

const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
const page = await context.newPage();
await page.goto(url, { waitUntil: 'load' });
check('Tab reaches "Your first choice"', await tabTo(page, 'issues-choice-1'));
await page.keyboard.press('ArrowDown');
check('  ... the arrow key chooses the first issue', await value(page, 'issues-choice-1') === 'mental-health');
await page.keyboard.press('Tab');
check('Tab moves to "Your second choice"', await page.evaluate(() => document.activeElement.id) === 'issues-choice-2');
await page.keyboard.press('ArrowDown');
check('  ... the same issue chosen again', await value(page, 'issues-choice-2') === 'mental-health');
check('Tab reaches the send button', await tabTo(page, 'send'));
const button = await page.evaluate(() => document.activeElement.textContent);
check('  ... it is "Send my answers"', button.trim() === 'Send my answers', `(${button})`);
await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
check('sent twice the same issue: the error summary has the focus',
      await page.evaluate(() => document.activeElement.classList.contains('error-summary')));
const summary = await page.locator('.error-summary a').first().textContent();
check('  ... saying what to fix', summary.includes('You chose the same issue more than once'), `(${summary})`);
await page.screenshot({ path: `${shots}/ballot-error-keyboard-360x740.png`, fullPage: true });
await page.keyboard.press('Tab');
await page.keyboard.press('Enter');
check('  ... its link takes the focus to the first list',
      await page.evaluate(() => document.activeElement.id) === 'issues-choice-1');
check('  ... the choices kept', await value(page, 'issues-choice-1') === 'mental-health' &&
      await value(page, 'issues-choice-2') === 'mental-health');
await page.keyboard.press('Tab');
await page.keyboard.press('ArrowDown');
check('a different second choice', await value(page, 'issues-choice-2') === 'knife-crime');
await page.keyboard.press('Tab');
await page.keyboard.press('ArrowDown');
await page.keyboard.press('ArrowDown');
await page.keyboard.press('ArrowDown');
check('a third choice', await value(page, 'issues-choice-3') === 'online');
check('Tab reaches the send button again', await tabTo(page, 'send'));
await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
check('sent: the thanks page', page.url().endsWith('/thanks'), `(${page.url()})`);
await context.close();

const shotsOf = [['ballot', url], ...pages.map((p) => p.split(/=(.*)/s).slice(0, 2))];
for (const [w, h] of [[360, 740], [320, 740]]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, javaScriptEnabled: false });
  const p = await ctx.newPage();
  for (const [name, u] of shotsOf) {
    const res = await p.goto(u, { waitUntil: 'load' });
    check(`${name} at ${w}x${h} loads`, res && res.ok());
    const width = await p.evaluate(() => document.scrollingElement.scrollWidth);
    check(`  ... nothing scrolls sideways`, width <= w, `(scrollWidth ${width})`);
    await p.screenshot({ path: `${shots}/${name}-${w}x${h}.png`, fullPage: true });
  }
  await ctx.close();
}
await browser.close();
process.exit(done());
