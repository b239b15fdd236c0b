// server.js - a small HTTP service an agent starts: it listens on
// 127.0.0.1 at the port given (default 8080), answers GET /health and
// GET /time, and exits after the number of requests given (default: never).
'use strict';
const http = require('http');

const port = Number(process.argv[2] || 8080);
let left = Number(process.argv[3] || 0);

const server = http.createServer((req, res) => {
  const body = req.url === '/time'
    ? JSON.stringify({ now: new Date(0).toISOString() })
    : JSON.stringify({ ok: true });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body + '\n');
  if (left > 0 && --left === 0) {
    server.close();
  }
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on 127.0.0.1:${port}\n`);
});
