// chromium.mjs - Debian's Chromium for the browser suites, started with the
// flags page-audit uses (PAGE_AUDIT_CHROMIUM names another binary); never a
// browser downloaded by Playwright.
import { chromium } from 'playwright-core';

const FLAGS = '--headless --no-sandbox --disable-gpu --disable-quic --no-first-run ' +
  '--disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage';

export function launchChromium() {
  return chromium.launch({ executablePath: process.env.PAGE_AUDIT_CHROMIUM || '/usr/bin/chromium',
                           args: FLAGS.split(' ') });
}
