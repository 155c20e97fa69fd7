// key_shots.mjs - the staff Key page as people see it: for each NAME=URL,
// screenshots at 360x740 and 320x640 (full page) into OUT_DIR/NAME-WxH.png
// to look at, with no sideways scrolling at either width; on a page with
// problems, the error summary holds the focus and every passphrase field is
// empty (what was typed is never sent back).  Prints checks and
// "N passed, M failed".
// Usage: node key_shots.mjs OUT_DIR NAME=URL...
import { check, done, launch } from './harness.mjs';

const [out, ...specs] = process.argv.slice(2);
const browser = await launch();
try {
  for (const spec of specs) {
    const name = spec.slice(0, spec.indexOf('='));
    const url = spec.slice(spec.indexOf('=') + 1);
    for (const [w, h] of [[360, 740], [320, 640]]) {
      const context = await browser.newContext({ viewport: { width: w, height: h }, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(url);
      const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
      check(`${name} at ${w}x${h}: no sideways scrolling`, width <= w, `${width}`);
      await page.screenshot({ path: `${out}/${name}-${w}x${h}.png`, fullPage: true });
      if (w === 360 && await page.$('.error-summary')) {
        const focused = await page.evaluate(() => document.activeElement?.classList.contains('error-summary'));
        check(`${name}: the error summary has the focus`, focused);
        const typed = await page.evaluate(() => [...document.querySelectorAll('input[type=password]')]
          .filter(i => i.value !== '').map(i => i.id));
        check(`${name}: every passphrase field is empty`, typed.length === 0, typed.join(' '));
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}
process.exit(done());
