// results.mjs - a consultation's results page as commissioners see it, at
// a phone's 360x740 and 320 px, a tablet's 768x1024 and a projector's
// 1920x1080, without JavaScript: nothing scrolls the page sideways (wide
// tables scroll in their own focusable box), the day chart is drawn with a
// width and a height and is named by its summary, and every themes table
// is there.  Full-page screenshots go to the folder given.
// Usage: node results.mjs URL SHOTS_DIR
import { launch, check, done } from './harness.mjs';

const [url, shots] = process.argv.slice(2);
const sizes = [[360, 740], [320, 740], [768, 1024], [1920, 1080]];
const browser = await launch();
for (const [w, h] of sizes) {
  const context = await browser.newContext({ viewport: { width: w, height: h }, javaScriptEnabled: false });
  const page = await context.newPage();
  const res = await page.goto(url, { waitUntil: 'load' });
  check(`${w}x${h}: the page loads`, res && res.status() === 200);
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  check(`${w}x${h}: no sideways scrolling`, width <= w, `(scrollWidth ${width})`);
  const chart = await page.locator('figure.chart svg').boundingBox();
  check(`${w}x${h}: the day chart is drawn`, chart && chart.width > 200 && chart.height > 100,
        JSON.stringify(chart));
  const name = await page.evaluate(() => {
    const svg = document.querySelector('figure.chart svg');
    const id = svg && svg.getAttribute('aria-labelledby');
    return svg && svg.getAttribute('role') === 'img' && id ? document.getElementById(id).textContent : '';
  });
  check(`${w}x${h}: the chart is an image named by its summary`, /^Responses per day, /.test(name), name);
  const tables = await page.locator('table.themes').count();
  check(`${w}x${h}: a themes table per priority`, tables === 5, `(${tables})`);
  // A wide table scrolls inside its own box, which a keyboard can reach.
  const boxes = await page.evaluate(() => [...document.querySelectorAll('.table-scroll')]
    .every((d) => d.tabIndex === 0 && d.tagName === 'SECTION' && d.getAttribute('aria-labelledby') &&
      d.clientWidth <= window.innerWidth));
  check(`${w}x${h}: wide tables scroll in focusable regions inside the page`, boxes);
  await page.screenshot({ path: `${shots}/results-${w}x${h}.png`, fullPage: true });
  await context.close();
}
await browser.close();
process.exit(done());
