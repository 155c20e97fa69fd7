// yousaid.mjs - the public "you said, we did" page as young people see it,
// at a phone's 360x740 and a small phone's 320 px, JavaScript off: it loads,
// nothing scrolls sideways, every priority has its section, no script runs,
// and the page with everything it loads weighs under 30 KB (headers and
// bodies as sent, counted from the network).  Full-page screenshots go to
// the folder given; with a third argument, an A4 print of it too.
// Usage: node yousaid.mjs URL SHOTS_DIR [PRINT_PDF]
import { launch, check, done } from './harness.mjs';

const [url, shots, pdf] = process.argv.slice(2);
const browser = await launch();
for (const [w, h] of [[360, 740], [320, 740]]) {
  const context = await browser.newContext({ viewport: { width: w, height: h }, javaScriptEnabled: false });
  const page = await context.newPage();
  const sizes = [];
  page.on('requestfinished', async (req) => {
    const s = await req.sizes().catch(() => null);
    if (s) sizes.push(s.responseHeadersSize + s.responseBodySize);
  });
  const res = await page.goto(url, { waitUntil: 'load' });
  check(`${w}x${h}: the page loads`, res && res.status() === 200);
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  check(`${w}x${h}: no sideways scrolling`, width <= w, `(scrollWidth ${width})`);
  const sections = await page.locator('main section h2').count();
  check(`${w}x${h}: a section per priority`, sections === 5, `(${sections})`);
  const scripts = await page.locator('script').count();
  check(`${w}x${h}: no script`, scripts === 0, `(${scripts})`);
  await page.waitForTimeout(200);
  const total = sizes.reduce((a, b) => a + b, 0);
  console.log(`# ${w}x${h}: ${sizes.length} requests, ${total} bytes`);
  check(`${w}x${h}: under 30 KB in all (${total} bytes, ${sizes.length} requests)`, total > 0 && total < 30 * 1024);
  await page.screenshot({ path: `${shots}/yousaid-${w}x${h}.png`, fullPage: true });
  if (pdf && w === 360) {
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    check('an A4 print is made', true);
  }
  await context.close();
}
await browser.close();
process.exit(done());
