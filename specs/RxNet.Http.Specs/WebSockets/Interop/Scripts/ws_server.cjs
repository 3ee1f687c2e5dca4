// node's ws as a WebSocket server on 127.0.0.1, port 0: prints "listening PORT", then one line per socket that ends
// ("closed CODE [REASON]", as the client sent them). /echo echoes every message (subprotocol "chat"; the text
// "fragmented" goes back as three frames; the text "ping" is answered by a ping, then the text "pong PAYLOAD" once
// its pong is back); /bye sends "bye" and closes with 1001. Arguments: "on"/"off" for permessage-deflate, the path
// of the ws module.
const [deflate, wsPath] = process.argv.slice(2);
const { WebSocketServer } = require(wsPath);

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  perMessageDeflate: deflate === 'on',
  maxPayload: 64 * 1024 * 1024,
  handleProtocols: protocols => (protocols.has('chat') ? 'chat' : false),
});
server.on('listening', () => console.log('listening', server.address().port));
server.on('connection', (ws, request) => {
  ws.on('close', (code, reason) => console.log(`closed ${code} [${reason.toString()}]`));
  if (request.url === '/bye') {
    ws.send('bye');
    ws.close(1001, 'bye now');
    return;
  }
  ws.on('message', (data, isBinary) => {
    if (!isBinary && data.toString() === 'fragmented') {
      ws.send('frag', { fin: false });
      ws.send('ment', { fin: false });
      ws.send('ed', { fin: true });
    } else if (!isBinary && data.toString() === 'ping') {
      ws.ping(Buffer.from('xyz'));
    } else {
      ws.send(data, { binary: isBinary });
    }
  });
  ws.on('pong', data => {
    if (data.toString() === 'xyz') ws.send('pong xyz');
  });
});
