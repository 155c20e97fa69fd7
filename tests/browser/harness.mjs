// harness.mjs - what kiosk_offline.mjs and kiosk_print.mjs share: Debian's
// Chromium started as page-audit starts it, and checks counted into the
// closing "N passed, M failed".
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: process.env.PAGE_AUDIT_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'],
  });
}

let passed = 0, failed = 0;
export function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok - ${what}`); }
  else { failed++; console.log(`FAIL - ${what} ${detail}`); }
}

// Prints the closing line; the exit status to end with.
export function done() {
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
