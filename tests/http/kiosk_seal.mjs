// kiosk_seal.mjs - seals a kiosk body as forms/static/kiosk.js does, for the
// HTTP tests: the answers (a form body, on standard input) padded to PAD
// bytes and sealed to the kiosk transport key (base64url), written raw to
// standard output.  libsodium-wrappers comes from vendor/ (make vendor).
// Usage: node kiosk_seal.mjs PUBLIC_KEY_B64URL PAD <body >box
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(new URL('../../vendor/package.json', import.meta.url));
const sodium = require('libsodium-wrappers');
await sodium.ready;
const [key, pad] = process.argv.slice(2);
const body = readFileSync(0);
const padded = sodium.pad(new Uint8Array(body), Number(pad));
const box = sodium.crypto_box_seal(padded, sodium.from_base64(key, sodium.base64_variants.URLSAFE_NO_PADDING));
process.stdout.write(Buffer.from(box));
