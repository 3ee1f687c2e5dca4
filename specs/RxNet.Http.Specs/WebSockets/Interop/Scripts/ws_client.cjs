// node's ws as a client of the spec's WebSocket server at ws://127.0.0.1:PORT: prints one line per step (the
// transcript the spec compares across peers). Arguments: the port, "on"/"off" for permessage-deflate, the path of
// the ws module.
const [port, deflate, wsPath] = process.argv.slice(2);
const WebSocket = require(wsPath);
const SIZES = [0, 125, 126, 65535, 65536, 16 * 1024 * 1024];

function pattern(n) {
  const data = Buffer.alloc(n);
  for (let i = 0; i < n; i++) data[i] = i % 251;
  return data;
}

// One socket with its events as awaitable queues.
function connect(path, options) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, path === '/echo' ? ['chat'] : [], options);
  const events = [];
  const waiters = [];
  const push = event => (waiters.length ? waiters.shift()(event) : events.push(event));
  ws.on('message', (data, isBinary) => push({ data, isBinary }));
  ws.on('pong', data => push({ pong: data }));
  ws.on('close', (code, reason) => push({ code, reason: reason.toString() }));
  const next = () => (events.length ? Promise.resolve(events.shift()) : new Promise(resolve => waiters.push(resolve)));
  const open = new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  return open.then(() => ({ ws, next }));
}

async function main() {
  const { ws, next } = await connect('/echo', { perMessageDeflate: deflate === 'on' });
  console.log('subprotocol', ws.protocol);
  console.log('deflate', ws.extensions.includes('permessage-deflate') ? 'True' : 'False');
  const text = 'h\u00e9llo \u2713';
  ws.send(text); let m = await next(); console.log('text', !m.isBinary && m.data.toString() === text ? 'True' : 'False');
  ws.send(Buffer.from([0, 1, 255])); m = await next(); console.log('binary', m.data.toString('hex'));
  for (const size of SIZES) {
    const data = pattern(size);
    ws.send(data); m = await next();
    console.log('size', size, m.isBinary && data.equals(m.data) ? 'True' : 'False');
  }
  ws.send('frag', { fin: false }); ws.send('ment', { fin: false }); ws.send('ed', { fin: true });
  m = await next(); console.log('fragmented', m.data.toString());
  ws.ping(Buffer.from('abc')); m = await next(); console.log('pong', m.pong.toString());
  ws.send('ping'); m = await next(); console.log('server', m.data.toString());
  ws.close(4000, 'done'); m = await next(); console.log(`closed ${m.code} [${m.reason}]`);
  const bye = await connect('/bye', { perMessageDeflate: false });
  for (;;) {
    m = await bye.next();
    if (m.code !== undefined) break;
    console.log('message', m.data.toString());
  }
  console.log(`server closed ${m.code} [${m.reason}]`);
}

main().catch(error => { console.error(error); process.exit(1); });
