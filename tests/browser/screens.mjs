// screens.mjs - screenshots of pages at a phone's 360x740 and at 320 px wide,
// to look at: the whole page (NAME-WxH.png) and its first screens one by
// one (NAME-WxH-N.png, at most six), each page checked to fit its width
// (no sideways scrolling).  Prints checks and "N passed, M failed".
// Usage: node screens.mjs OUT_DIR NAME=URL...
import { check, done, launch } from './harness.mjs';

const [out, ...pages] = process.argv.slice(2);
const sizes = [[360, 740], [320, 640]];
const browser = await launch();
for (const spec of pages) {
  const eq = spec.indexOf('=');
  const name = spec.slice(0, eq), url = spec.slice(eq + 1);
  for (const [w, h] of sizes) {
    try {
      const context = await browser.newContext({ viewport: { width: w, height: h } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load' });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(`${name} at ${w}x${h} fits its width`, wide <= 0, `(${wide} px too wide)`);
      await page.screenshot({ path: `${out}/${name}-${w}x${h}.png`, fullPage: true });
      const tall = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let n = 0; n < 6 && n * h < tall; n++)
        await page.screenshot({ path: `${out}/${name}-${w}x${h}-${n + 1}.png`, fullPage: true,
                                clip: { x: 0, y: n * h, width: w, height: Math.min(h, tall - n * h) } });
      await context.close();
    } catch (e) {
      check(`${name} at ${w}x${h}`, false, String(e));
    }
  }
}
await browser.close();
process.exit(done());
