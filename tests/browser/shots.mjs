// shots.mjs - screenshots of pages at the sizes people use them, to look at
// (not a test): phone 360x740 and 320x740, tablet 768x1024, projector
// 1920x1080, each full-page, into DIR as NAME-WIDTHxHEIGHT.png.
//
//   node tests/browser/shots.mjs DIR URL...
import { launchChromium } from './chromium.mjs';

const SIZES = [[360, 740], [320, 740], [768, 1024], [1920, 1080]];
const [dir, ...urls] = process.argv.slice(2);
const browser = await launchChromium();
try {
  for (const url of urls) {
    const name = new URL(url).pathname.replace(/^\/+|\.html$/g, '').replace(/[^A-Za-z0-9-]+/g, '_') || 'index';
    for (const [width, height] of SIZES) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(url, { waitUntil: 'load' });
      await page.screenshot({ path: `${dir}/${name}-${width}x${height}.png`, fullPage: true });
      await page.close();
    }
  }
} finally {
  await browser.close();
}
