// staff_print.mjs - staff pages printed on A4, as a commissioner would print
// them for a meeting: each page laid out for print (Chromium's print media,
// the width of an A4 page less the stylesheet's @page margins) has no menu,
// skip link or script-only control showing, nothing wider than the page and
// no box that cuts its content off (a table that scrolls on screen prints
// whole), and no table squeezed narrower than its content; a day chart is
// never split over two sheets.  Then each is printed to OUT_DIR/NAME.pdf
// (A4, the stylesheet's margins).  Prints checks and "N passed, M failed".
// Usage: node staff_print.mjs OUT_DIR NAME=URL...
import { check, done, launch } from './harness.mjs';

const [out, ...pages] = process.argv.slice(2);
// A4 is 210 mm wide; staff.css's @page has 15 mm margins: 180 mm of content.
const MM = 96 / 25.4;
const CONTENT = Math.floor(180 * MM);
const browser = await launch();
for (const spec of pages) {
  const eq = spec.indexOf('=');
  const name = spec.slice(0, eq), url = spec.slice(eq + 1);
  try {
    const context = await browser.newContext({ viewport: { width: CONTENT, height: Math.floor(267 * MM) } });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const r = await page.evaluate((width) => {
      const shown = (e) => e && getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0;
      const hidden = ['.site-header', '.skip-link', '.staff-nav', '#results-refresh a']
        .filter((sel) => [...document.querySelectorAll(sel)].some(shown));
      const wide = [], cut = [], squeezed = [];
      for (const e of document.body.querySelectorAll('*')) {
        if (!shown(e)) continue;
        const box = e.getBoundingClientRect();
        // A visually-hidden text is clipped to 1 px on purpose; a text box scrolls.
        const clipped = box.width <= 1 && box.height <= 1;
        const what = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''}`;
        if (!clipped && (box.right > width + 0.5 || box.left < -0.5)) wide.push(`${what} ${Math.round(box.left)}..${Math.round(box.right)}`);
        const style = getComputedStyle(e);
        // A text box must show all its text on paper.
        if (['INPUT', 'TEXTAREA'].includes(e.tagName) && e.type !== 'hidden' &&
            (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
          cut.push(`${what} ${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight}`);
        else if (!clipped && !['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName) &&
            (style.overflowX !== 'visible' || style.overflowY !== 'visible') &&
            (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
          cut.push(`${what} ${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight}`);
        // A cell whose longest word does not fit (a squeezed table breaks words).
        if ((e.tagName === 'TD' || e.tagName === 'TH') && e.scrollWidth > e.clientWidth + 1)
          squeezed.push(`${what} "${e.textContent.slice(0, 30)}"`);
      }
      const charts = [...document.querySelectorAll('figure.chart')].map((f) => getComputedStyle(f).breakInside);
      return { hidden, wide, cut, squeezed, charts, scroll: document.scrollingElement.scrollWidth };
    }, CONTENT);
    check(`${name} printed: no menu, skip link or screen-only link`, r.hidden.length === 0, r.hidden.join(', '));
    check(`${name} printed: nothing wider than the page (${CONTENT} px)`, r.wide.length === 0 && r.scroll <= CONTENT,
      `(scrollWidth ${r.scroll}) ${r.wide.slice(0, 5).join('; ')}`);
    check(`${name} printed: no box cuts its content off`, r.cut.length === 0, r.cut.slice(0, 5).join('; '));
    check(`${name} printed: no table cell squeezed narrower than a word`, r.squeezed.length === 0,
      r.squeezed.slice(0, 5).join('; '));
    check(`${name} printed: a chart is kept whole on one sheet`, r.charts.every((b) => b === 'avoid'),
      r.charts.join(' '));
    // The stylesheet's @page gives the size and margins.
    await page.pdf({ path: `${out}/${name}.pdf`, preferCSSPageSize: true, printBackground: true });
    await context.close();
  } catch (e) {
    check(`${name} printed`, false, String(e.message || e).split('\n')[0]);
  }
}
await browser.close();
process.exit(done());
