// A tiny static file server for the browser tests: serves pages that the
// survey-server only shows after a POST (later pages, errors, check your
// answers), saved to a folder, plus the real stylesheet, so page-audit (which
// only GETs) can audit them.  Listens on 127.0.0.1 on a free port and prints
// "listening on PORT".  Usage: node static-server.mjs DIR STYLESHEET
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, basename } from 'node:path';

const [dir, stylesheet] = process.argv.slice(2);
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  try {
    if (path === '/static/style.css') {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' });
      res.end(await readFile(stylesheet));
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
