// A tiny static file server for the browser tests: serves pages that the
// survey-server only shows after a POST (later pages, errors, check your
// answers), saved to a folder, plus the real stylesheet, so page-audit (which
// only GETs) can audit them.  Listens on 127.0.0.1 on a free port and prints
// "listening on PORT".  Usage: node static-server.mjs DIR STATIC_DIR
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, basename } from 'node:path';

const [dir, staticDir] = process.argv.slice(2);
const types = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  try {
    const asset = /^\/static\/(?:kiosk\/)?([a-z]+)\.(css|js)$/.exec(path);
    if (asset) {
      const body = await readFile(join(staticDir, `${asset[1]}.${asset[2]}`));
      res.writeHead(200, { 'Content-Type': types[asset[2]] });
      res.end(body);
      return;
    }
    // Only plain names inside dir: no traversal.
    const name = basename(path);
    if (!/^[a-z0-9-]+\.html$/.test(name)) throw new Error('not found');
    const body = await readFile(join(dir, name));
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }
});
server.listen(0, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
