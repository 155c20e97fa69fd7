// analyse.mjs - analysing answers by keyboard alone, JavaScript off, on a
// 360x740 screen (docs/analysis.md): sign in, the passphrase form has the
// focus, typing the passphrase and Enter opens the answers; on each answer
// the first theme box has the focus, Space ticks it and Enter saves ("Save
// and next" is the form's first submit button); three answers coded so,
// the third a quote with "no names" ticked by keyboard; progress as text;
// nothing scrolls sideways at 360 or 320 px.  Screenshots of the passphrase
// form, an answer and the agreement page at 360x740 and 320 px go to SHOTS.
// Usage: node analyse.mjs BASE NAME PASSWORD PASSPHRASE CONSULTATION SHOTS
import { launch, check, done } from './harness.mjs';

const [base, name, password, passphrase, consultation, shots] = process.argv.slice(2);
const url = `${base}/staff/consultations/${consultation}/analyse`;
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
const page = await context.newPage();
const focused = () => page.evaluate(() => {
  const a = document.activeElement;
  return a ? `${a.tagName.toLowerCase()}#${a.id}` : '';
});
const progress = () => page.locator('#progress').innerText();
const wide = () => page.evaluate(() => document.scrollingElement.scrollWidth);

async function shoot(label) {
  for (const w of [360, 320]) {
    await page.setViewportSize({ width: w, height: 740 });
    const sw = await wide();
    check(`${label} at ${w} px: no sideways scrolling`, sw <= w, `(scrollWidth ${sw})`);
    await page.screenshot({ path: `${shots}/analyse-${label}-${w}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 360, height: 740 });
}

await page.goto(`${base}/staff/login`);
await page.fill('#name', name);
await page.fill('#password', password);
await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
await page.goto(url);
check('the passphrase field has the focus', (await focused()) === 'input#a-passphrase', await focused());
await shoot('passphrase');
await page.keyboard.type(passphrase);
await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
check('Enter opens the answers', page.url() === url, page.url());
check('  ... progress as text', /^0 of \d+ coded/.test(await progress()), await progress());
const total = Number((await progress()).match(/of (\d+) coded/)[1]);
check('  ... the first theme box has the focus', /^input#t-/.test(await focused()), await focused());
await shoot('answer');

// Three answers, by keyboard: Space ticks the focused theme, Enter saves.
for (let i = 1; i <= 3; i++) {
  const box = await focused();
  await page.keyboard.press('Space');
  if (i === 3) {
    // The quote and its check, reached by Tab from the themes.
    for (let k = 0; k < 60 && (await focused()) !== 'input#a-quote'; k++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    check('  ... Tab from the quote reaches "no names"', (await focused()) === 'input#a-names', await focused());
    await page.keyboard.press('Space');
  }
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const p = await progress().catch(() => '');
  check(`answer ${i} coded by keyboard (${box}): ${p}`, p.startsWith(`${i} of ${total} coded`), p);
}
// How the suggestions have done: three first codes counted (each page
// suggested something, so the line is there), said as text.
const soFar = await page.locator('#so-far').innerText().catch(() => '');
check('  ... how the suggestions have done, as text',
      /^Suggested themes kept so far: \d+ of \d+\. Themes chosen that were not suggested: \d+\.$/.test(soFar), soFar);
await shoot('answer-so-far');
// Back to the first to see its code kept.
await page.goto(`${url}?answer=1`);
check('going back to answer 1 shows its tick', await page.locator('input[name="themes[]"]:checked').count() === 1);
await page.goto(`${url}?answer=3`);
check('  ... and answer 3 is a quote with no names checked',
      await page.isChecked('#a-quote') && await page.isChecked('#a-names'));
await page.goto(`${url}/agreement`);
check('the agreement page', (await page.locator('h1').innerText()).startsWith('Agreement between analysts'));
await shoot('agreement');
// End analysis, by keyboard: the button is the page's last control.
await page.locator('button:has-text("End analysis")').focus();
await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
check('End analysis by keyboard', page.url().endsWith('?done=ended'), page.url());
await browser.close();
process.exit(done());
