// flow.mjs - the respondent's flow on a phone (360x740) in Debian's Chromium,
// one browser, one page load per check where it can (forms/flow.h,
// core/draft.h, forms/static/respond.js):
// - with JavaScript: Yes reveals the young-carer follow-up in place (and No
//   hides it), the progress line counting it as the server does on the next
//   page, and Continue then skips the follow-up step; the text box
//   counts characters, announcing only at thresholds; Back after an error
//   page and after the thanks page loads without a resubmission prompt
//   (no net::ERR_CACHE_MISS); "Change" lands focused on the question and
//   Continue returns to check your answers;
// - without JavaScript: the follow-up is not in view on its page and is
//   asked on its own step after Yes; Change focuses the question too;
// - Urdu in Noto Nastaliq Urdu: no two lines of text on the page overlap
//   (each line's content area, measured), at 360 and 320 px; screenshots
//   saved to SHOTS.
// Usage: node flow.mjs BASE SHOTS_DIR
import { launch, check, done } from './harness.mjs';

const [base, shots] = process.argv.slice(2);
const browser = await launch();

// The page's own error for a history navigation, if any (Chromium shows
// "Confirm Form Resubmission" as net::ERR_CACHE_MISS).
async function historyStep(page, how) {
  try {
    // A history step taken while the last navigation is still settling can
    // find the page detached for a moment (seen on a loaded CI machine):
    // let it finish loading first, as a person would.
    await page.waitForLoadState('load');
    const res = how === 'back' ? await page.goBack({ waitUntil: 'load' }) :
      await page.goForward({ waitUntil: 'load' });
    const body = await page.content();
    if (/ERR_CACHE_MISS|Confirm Form Resubmission/i.test(body)) return 'resubmission prompt';
    return res ? `HTTP ${res.status()}` : 'no response';
  } catch (e) {
    return String(e.message).split('\n')[0];
  }
}

const visible = (page, sel) => page.locator(sel).isVisible();

// 1 once the element with this id has the focus (autofocus runs just after
// load), within 3 s.
async function focusedOn(page, id) {
  try {
    await page.waitForFunction(i => document.activeElement && document.activeElement.id === i, id,
                               { timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}

// ---- with JavaScript ----------------------------------------------------------
{
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(`${base}/s/your-area`);
  await page.check('#feel-safe-3');
  await page.click('button[value="next"]');
  check('Continue lands on a GET of a draft (/s/your-area/a/KEY)',
        /\/s\/your-area\/a\/[A-Za-z0-9_-]{43}$/.test(page.url()), page.url());
  check('with JavaScript, the follow-up is hidden before Yes', !(await visible(page, '#carer-help-talk')));
  const progress = () => page.locator('#progress').textContent();
  const before = await progress();
  const nums = (t) => (t.match(/\d+/g) || []).map(Number);
  await page.check('#young-carer-yes');
  check('  ... Yes reveals it in place', await visible(page, '#carer-help-talk'));
  const revealed = await progress();
  const [b, r] = [nums(before), nums(revealed)];
  check('  ... and the progress line counts it (one more on this page and in all)',
        b.length >= 2 && r.length === 3 && r[0] === b[0] && r[1] === b[b.length - 2] + 1 &&
        r[2] === b[b.length - 1] + 1 && /^Questions \d+ to \d+ of \d+$/.test(revealed),
        `(${before} -> ${revealed})`);
  check('  ... the Yes radio names what it controls',
        (await page.getAttribute('#young-carer-yes', 'aria-controls')) === 'conditional-carer-help');
  await page.check('#young-carer-no');
  check('  ... No hides it again', !(await visible(page, '#carer-help-talk')));
  check('  ... and the progress line is as before', (await progress()) === before,
        `(${await progress()}, was ${before})`);
  await page.check('#young-carer-yes');
  await page.screenshot({ path: `${shots}/flow-reveal-360.png`, fullPage: true });
  await page.check('#carer-help-talk');
  await page.click('button[value="next"]');
  check('  ... and Continue goes on to page 3, not a follow-up step',
        (await page.locator('#worries').count()) === 1);
  const next = nums(await progress());
  check('  ... whose progress line has the total the revealed one had (the server agrees)',
        next[next.length - 1] === r[2] && next[0] === r[1] + 1, `(${revealed} -> ${await progress()})`);

  // Character count.
  const count = page.locator('#worries-count');
  const live = page.locator('#worries-count-live');
  check('the text box shows how many characters are left', (await count.textContent()) === 'You have 600 characters left');
  check('  ... the count is hidden from screen readers (the live region speaks instead)',
        (await count.getAttribute('aria-hidden')) === 'true' && (await live.getAttribute('aria-live')) === 'polite');
  await page.fill('#worries', 'Buses stop at 7pm');
  check('  ... it counts as you type', (await count.textContent()) === 'You have 583 characters left');
  check('  ... and says nothing aloud far from the limit', (await live.textContent()) === '');
  await page.fill('#worries', 'x'.repeat(460));
  check('  ... a quarter left: announced once', (await live.textContent()) === 'You have 140 characters left');
  await page.type('#worries', 'y');
  check('  ... not at the next keystroke', (await live.textContent()) === 'You have 140 characters left');
  await page.fill('#worries', 'é'.repeat(605));
  check('  ... too many: counted in characters, said aloud',
        (await count.textContent()) === 'You have 5 characters too many' &&
        (await live.textContent()) === 'You have 5 characters too many');
  await page.screenshot({ path: `${shots}/flow-count-360.png`, fullPage: true });

  // An error, then Back.
  await page.fill('#worries', 'Buses stop at 7pm');
  const page3 = page.url();
  await page.click('button[value="next"]');  // more-of is required: an error
  check('Continue without the required answer shows the error summary',
        (await page.locator('.error-summary').count()) === 1);
  const errorUrl = page.url();
  const afterError = await historyStep(page, 'back');
  check('Back after the error page loads without a resubmission prompt', afterError === 'HTTP 200', afterError);
  check('  ... showing page 3 again', page.url() === page3 && (await page.locator('#worries').count()) === 1,
        page.url());
  const forward = await historyStep(page, 'forward');
  check('  ... and Forward shows the error page again', forward === 'HTTP 422' && page.url() === errorUrl,
        `${forward} ${page.url()}`);

  await page.check('#more-of-sport');
  await page.click('button[value="next"]');
  await page.check('#age-14-15');
  await page.check('#district-eastbrook');
  await page.click('button[value="next"]');
  check('the check page lists the follow-up answered in place',
        (await page.locator('dd', { hasText: 'Someone to talk to about it' }).count()) === 1);

  // Change.
  await page.click('#change-district');
  check('Change opens the question\'s page', (await page.locator('#district-northvale').count()) === 1);
  check('  ... focused on it, at the answer given', await focusedOn(page, 'district-eastbrook'));
  check('  ... its title in view', await page.evaluate(() => {
    const r = document.querySelector('#district-eastbrook').closest('fieldset')
      .querySelector('legend').getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  }));
  await page.screenshot({ path: `${shots}/flow-change-360.png` });
  await page.check('#district-westfield');
  await page.click('button[value="next"]');
  check('  ... Continue goes straight back to check your answers',
        (await page.locator('h2', { hasText: 'Check your answers before sending them' }).count()) === 1 &&
        (await page.locator('dd', { hasText: 'Westfield' }).count()) === 1);

  await page.click('button[value="submit"]');
  await page.waitForURL(`${base}/s/your-area/thanks`, { waitUntil: 'load', timeout: 10000 }).catch(() => {});
  check('Send lands on the thanks page', page.url() === `${base}/s/your-area/thanks`);
  const back = await historyStep(page, 'back');
  check('Back after the thanks page loads without a resubmission prompt', back === 'HTTP 200', back);
  check('  ... and shows the thanks page, not the answers',
        page.url() === `${base}/s/your-area/thanks` &&
        (await page.locator('text=Westfield').count()) === 0, page.url());
  await context.close();
}

// ---- without JavaScript ---------------------------------------------------------
{
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/s/your-area`);
  await page.check('#feel-safe-2');
  await page.click('button[value="next"]');
  check('without JavaScript, the follow-up is not in view on its page', !(await visible(page, '#carer-help-talk')));
  check('  ... and the page has no "Only if you answered" line',
        (await page.locator('text=Only if you answered').count()) === 0);
  await page.check('#young-carer-yes');
  check('  ... still not after Yes (nothing runs)', !(await visible(page, '#carer-help-talk')));
  await page.click('button[value="next"]');
  check('  ... Continue asks it on its own step', await visible(page, '#carer-help-talk') &&
        (await page.locator('#young-carer-yes').count()) === 0);
  await page.screenshot({ path: `${shots}/flow-followup-nojs-360.png`, fullPage: true });
  await page.setViewportSize({ width: 320, height: 640 });
  await page.screenshot({ path: `${shots}/flow-followup-nojs-320.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.check('#carer-help-time-off');
  await page.click('button[value="next"]');
  check('  ... then page 3', (await page.locator('#worries').count()) === 1);
  check('  ... whose text box has no live count (it needs script)', (await page.locator('#worries-count').count()) === 0);
  await page.check('#more-of-buses');
  await page.click('button[value="next"]');
  await page.check('#age-11-13');
  await page.check('#district-southmere');
  await page.click('button[value="next"]');
  await page.click('#change-young-carer');
  check('Change without JavaScript focuses the question too', await focusedOn(page, 'young-carer-yes'));
  await page.setViewportSize({ width: 320, height: 640 });
  await page.screenshot({ path: `${shots}/flow-change-nojs-320.png` });
  await page.click('button[value="next"]');
  check('  ... and Continue returns to check your answers',
        (await page.locator('h2', { hasText: 'Check your answers before sending them' }).count()) === 1);
  await context.close();
}

// ---- Urdu in Nastaliq: no overlapping lines --------------------------------------
// Every word on the page, as the box its glyphs' ink fills: the word's
// baseline (its inline box's top plus the first font's ascent) less and
// plus the ink's ascent and descent, as a canvas measures them in the
// element's font, fallback fonts included (an inline box's own height is the
// first font's only: a Latin font's, when Nastaliq is a fallback).  No two
// words on different lines that share any horizontal extent may overlap
// vertically: that is glyphs of one line running into the next.
function overlaps() {
  const ctx = document.createElement('canvas').getContext('2d');
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('.visually-hidden, [hidden], .skip-link, .emoji')) continue;
    const cs = getComputedStyle(el);
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    ctx.direction = cs.direction;
    for (const w of n.textContent.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(n, w.index);
      range.setEnd(n, w.index + w[0].length);
      const m = ctx.measureText(w[0]);
      for (const r of range.getClientRects()) {
        if (r.width === 0 || r.height === 0) continue;
        const base = r.top + m.fontBoundingBoxAscent;
        words.push({ text: w[0], el, top: r.top, left: r.left, right: r.right,
                     inkTop: base - m.actualBoundingBoxAscent, inkBottom: base + m.actualBoundingBoxDescent });
      }
    }
  }
  const found = [];
  for (let i = 0; i < words.length; i++)
    for (let j = i + 1; j < words.length; j++) {
      const a = words[i], b = words[j];
      if (Math.abs(a.top - b.top) < 1) continue;           // the same line
      const h = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const v = Math.min(a.inkBottom, b.inkBottom) - Math.max(a.inkTop, b.inkTop);
      if (h > 0 && v > 0.5)
        found.push(`${a.el.tagName}.${a.el.className} "${a.text}" and ${b.el.tagName}.${b.el.className} ` +
                   `"${b.text}" by ${v.toFixed(1)}px`);
    }
  return { found, lines: new Set(words.map(w => Math.round(w.top))).size,
           font: getComputedStyle(document.querySelector('h1')).fontFamily };
}

// The fonts Chromium really drew an element's text with (DevTools protocol).
async function platformFonts(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  // The font that drew most of the glyphs first.
  return fonts.sort((a, b) => b.glyphCount - a.glyphCount).map(f => f.familyName);
}

for (const width of [360, 320]) {
  const context = await browser.newContext({ viewport: { width, height: 740 } });
  const page = await context.newPage();
  for (const [name, go] of [
    ['page1', async () => page.goto(`${base}/s/your-area?lang=ur`)],
    ['page2', async () => { await page.check('#feel-safe-3'); await page.click('button[value="next"]'); }],
  ]) {
    await go();
    await page.evaluate(() => document.fonts.ready);
    const fonts = await platformFonts(page, 'h1');
    const r = await page.evaluate(overlaps);
    check(`Urdu ${name} at ${width} px: its heading is drawn in Noto Nastaliq Urdu`,
          fonts[0] === 'Noto Nastaliq Urdu', `${fonts.join(', ')} (CSS: ${r.font})`);
    check(`Urdu ${name} at ${width} px: no two lines overlap (${r.lines} lines)`,
          r.lines > 10 && r.found.length === 0, r.found.slice(0, 5).join('; '));
    await page.screenshot({ path: `${shots}/flow-urdu-${name}-${width}.png`, fullPage: true });
  }
  await context.close();
}

await browser.close();
process.exit(done());
