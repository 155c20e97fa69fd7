// narrow.mjs - what page-audit does not check: every page at 320 CSS px wide
// (a small phone, or a 1280 px screen at 400% zoom), and a keyboard user's
// focus.  For each URL: no horizontal scrolling at 320 px, and the first
// few Tab presses land on visible elements with a visible focus style.
// Prints one line per URL and "N passed, M failed".
// Usage: node narrow.mjs URL...
import { chromium } from 'playwright-core';

const urls = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.PAGE_AUDIT_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage'],
});
let passed = 0, failed = 0;
for (const url of urls) {
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    const res = await page.goto(url, { waitUntil: 'load' });
    if (!res || res.status() >= 400) problems.push(`HTTP ${res ? res.status() : 'none'}`);
    const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
    if (width > 320) problems.push(`scrolls sideways at 320px (scrollWidth ${width})`);
    // Tab stops: a group of radios is one stop (arrow keys move inside it).
    // Tabbing starts where focus is (an error summary takes it on load), so
    // only the stops after that element count.
    const focusable = await page.evaluate(() => {
      const radios = new Set();
      const start = document.activeElement && document.activeElement !== document.body ?
        document.activeElement : null;
      // A radio focused on load (autofocus) stands for its group already.
      if (start && start.type === 'radio') radios.add(start.name);
      let n = 0;
      for (const el of document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])')) {
        if (start && !(start.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
        if (el.closest('[hidden]')) continue; // not drawn (a closed conditional block): no stop
        if (el.type === 'radio') { if (radios.has(el.name)) continue; radios.add(el.name); }
        n++;
      }
      return n;
    });
    for (let i = 0; i < Math.min(6, focusable); i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        const shown = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ||
                      s.boxShadow !== 'none' || s.backgroundColor !== 'rgba(0, 0, 0, 0)';
        const inView = r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight;
        return { tag: el.tagName, w: r.width, h: r.height, shown, inView };
      });
      if (!f) { problems.push(`Tab ${i + 1} focused nothing`); break; }
      if (!f.shown) problems.push(`Tab ${i + 1}: ${f.tag} has no visible focus style`);
      if (f.w < 1 || f.h < 1 || !f.inView) problems.push(`Tab ${i + 1}: ${f.tag} is not on screen when focused`);
    }
  } catch (e) {
    problems.push(String(e.message || e).split('\n')[0]);
  }
  await context.close();
  if (problems.length) { failed++; console.log(`FAIL  ${url}\n      ${problems.join('\n      ')}`); }
  else { passed++; console.log(`ok    ${url}`); }
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
