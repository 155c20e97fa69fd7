// kiosk_print.mjs - posters and kiosk pages as people see them: screenshots
// at the sizes that matter (kiosk on a 768x1024 tablet, phones at 360 and
// 320 px), and each poster printed to an A4 PDF, on one page, its QR code at
// least 8 cm wide.  Prints checks and "N passed, M failed"; leaves PNGs and
// PDFs in OUT_DIR.
// Usage: node kiosk_print.mjs OUT_DIR NAME=URL...   (NAME ending -poster: printed too)
import { check, done, launch } from './harness.mjs';

const [out, ...pages] = process.argv.slice(2);
const browser = await launch();
const sizes = [[768, 1024], [360, 740], [320, 640]];
try {
  for (const spec of pages) {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, eq), url = spec.slice(eq + 1);
    for (const [w, h] of sizes) {
      const context = await browser.newContext({ viewport: { width: w, height: h } });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForTimeout(300);
      const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
      check(`${name} at ${w}x${h}: no sideways scrolling`, width <= w, `${width}`);
      await page.screenshot({ path: `${out}/${name}-${w}x${h}.png`, fullPage: true });
      if (name === 'kiosk' && w === 768) {
        await page.click('#kiosk-form button[type=submit]');
        await page.screenshot({ path: `${out}/${name}-error-${w}x${h}.png` });
        for (const id of ['feel-safe-3', 'young-carer-no', 'more-of-sport', 'age-14-15', 'district-eastbrook'])
          await page.check(`#${id}`);
        await page.click('#kiosk-form button[type=submit]');
        await page.locator('#kiosk-thanks').waitFor({ state: 'visible', timeout: 10000 });
        await page.waitForTimeout(500);
        const shown = await page.evaluate(() => [...document.querySelectorAll('button')]
          .filter(b => b.offsetParent !== null).map(b => b.textContent));
        check(`${name}: between two people only the thanks and "Start again" show`,
              shown.length === 1 && /Start again/.test(shown[0]), shown.join(' | '));
        await page.screenshot({ path: `${out}/${name}-thanks-${w}x${h}.png` });
      }
      await context.close();
    }
    if (!name.endsWith('poster'))
      continue;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.emulateMedia({ media: 'print' });
    const qr = await page.evaluate(() => document.querySelector('svg.qr').getBoundingClientRect().width);
    check(`${name} printed: the QR code is at least 8 cm wide`, qr >= 8 / 2.54 * 96, `${(qr / 96 * 2.54).toFixed(1)} cm`);
    const link = await page.evaluate(() => {
      const a = document.querySelector('.poster-link');
      return { size: parseFloat(getComputedStyle(a).fontSize), below: a.getBoundingClientRect().top >
               document.querySelector('svg.qr').getBoundingClientRect().bottom };
    });
    check(`${name} printed: the link is in large type under the code`, link.below && link.size >= 16, JSON.stringify(link));
    const nav = await page.evaluate(() => [...document.querySelectorAll('.site-header, .poster-screen-only')]
      .filter(e => getComputedStyle(e).display !== 'none').length);
    check(`${name} printed: no menu or screen-only text`, nav === 0, `${nav}`);
    const colours = await page.evaluate(() => ['.poster-title', '.poster-link a', '.poster-lead'].map(sel => {
      const e = document.querySelector(sel);
      return getComputedStyle(e).color;
    }).concat([getComputedStyle(document.querySelector('.poster-qr path')).fill,
               getComputedStyle(document.querySelector('.poster-qr rect')).fill]));
    check(`${name} printed: black on white`, colours.slice(0, 4).every(c => c === 'rgb(0, 0, 0)') &&
          colours[4] === 'rgb(255, 255, 255)', colours.join(' '));
    await page.pdf({ path: `${out}/${name}.pdf`, format: 'A4', preferCSSPageSize: true, printBackground: true });
    await context.close();
  }
} catch (e) {
  check('the print run finished', false, String(e.message || e).split('\n')[0]);
}
await browser.close();
process.exit(done());
