// public_of.mjs - the X25519 public key of a secret key, for the HTTP tests
// (test_keys.sh checks that shares rebuild the key's real secret without
// the server's code): the secret in hex as the argument, the public key in
// hex on standard output.  libsodium-wrappers comes from vendor/.
// Usage: node public_of.mjs SECRET_HEX
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../vendor/package.json', import.meta.url));
const sodium = require('libsodium-wrappers');
await sodium.ready;
const secret = sodium.from_hex(process.argv[2]);
process.stdout.write(sodium.to_hex(sodium.crypto_scalarmult_base(secret)) + '\n');
