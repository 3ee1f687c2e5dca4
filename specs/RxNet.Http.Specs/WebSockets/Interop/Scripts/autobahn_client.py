# Autobahn|Python on Twisted as a client of the spec's WebSocket server at ws://127.0.0.1:PORT: prints one line per
# step (the transcript the spec compares across peers). Arguments: the port, "on"/"off" for permessage-deflate.
import sys
from twisted.internet import defer, reactor, task
from autobahn.twisted.websocket import WebSocketClientFactory, WebSocketClientProtocol, connectWS
from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateResponse, PerMessageDeflateResponseAccept

SIZES = [0, 125, 126, 65535, 65536, 16 * 1024 * 1024]

def pattern(n):
    return (bytes(range(251)) * (n // 251 + 1))[:n]

class Client(WebSocketClientProtocol):
    """Every event goes to one queue, so the script reads as a sequence."""
    def __init__(self):
        super().__init__()
        self.events = defer.DeferredQueue()

    def onOpen(self):
        self.factory.opened.callback(self)

    def onMessage(self, payload, isBinary):
        self.events.put(("message", payload, isBinary))

    def onPong(self, payload):
        self.events.put(("pong", payload))

    def onClose(self, wasClean, code, reason):
        if not self.factory.opened.called:
            self.factory.opened.errback(Exception(f"not opened: {code} {reason}"))
        self.events.put(("close", code, reason))

def connect(port, path, deflate, protocols):
    factory = WebSocketClientFactory(f"ws://127.0.0.1:{port}{path}", protocols=protocols)
    factory.protocol = Client
    if deflate:
        factory.setProtocolOptions(
            perMessageCompressionOffers=[PerMessageDeflateOffer()],
            perMessageCompressionAccept=lambda r: PerMessageDeflateResponseAccept(r) if isinstance(r, PerMessageDeflateResponse) else None)
    factory.opened = defer.Deferred()
    connectWS(factory)
    return factory.opened

@defer.inlineCallbacks
def main(reactor, port, deflate):
    ws = yield connect(port, "/echo", deflate == "on", ["chat"])
    print("subprotocol", ws.websocket_protocol_in_use)
    print("deflate", any(e.EXTENSION_NAME == "permessage-deflate" for e in ws.websocket_extensions_in_use))
    text = "h\u00e9llo \u2713"
    ws.sendMessage(text.encode("utf-8"), isBinary=False)
    _, payload, binary = yield ws.events.get(); print("text", not binary and payload.decode("utf-8") == text)
    ws.sendMessage(b"\x00\x01\xff", isBinary=True)
    _, payload, _ = yield ws.events.get(); print("binary", payload.hex())
    for size in SIZES:
        data = pattern(size)
        ws.sendMessage(data, isBinary=True)
        _, payload, binary = yield ws.events.get(); print("size", size, binary and payload == data)
    ws.beginMessage(isBinary=False)
    for part in (b"frag", b"ment", b"ed"):
        ws.sendMessageFrame(part)
    ws.endMessage()
    _, payload, _ = yield ws.events.get(); print("fragmented", payload.decode("utf-8"))
    ws.sendPing(b"abc")
    _, payload = yield ws.events.get(); print("pong", payload.decode("ascii"))
    ws.sendMessage(b"ping", isBinary=False)
    _, payload, _ = yield ws.events.get(); print("server", payload.decode("utf-8"))
    ws.sendClose(code=4000, reason="done")
    _, code, reason = yield ws.events.get(); print(f"closed {code} [{reason or ''}]")
    bye = yield connect(port, "/bye", False, None)
    while True:
        event = yield bye.events.get()
        if event[0] == "close":
            break
        print("message", event[1].decode("utf-8"))
    print(f"server closed {event[1]} [{event[2] or ''}]")

task.react(main, (int(sys.argv[1]), sys.argv[2]))
