# Autobahn|Python on Twisted as a WebSocket server on 127.0.0.1, port 0: prints "listening PORT", then one line per
# socket that ends ("closed CODE [REASON]", as the client sent them). /echo echoes every message (subprotocol
# "chat"; the text "fragmented" goes back as three frames; the text "ping" is answered by a ping, then the text
# "pong PAYLOAD" once its pong is back); /bye sends "bye" and closes with 1001. Argument: "on"/"off" for
# permessage-deflate.
import sys
from twisted.internet import reactor
from autobahn.twisted.websocket import WebSocketServerFactory, WebSocketServerProtocol
from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept

class Server(WebSocketServerProtocol):
    def onConnect(self, request):
        self.path = request.path
        return "chat" if "chat" in request.protocols else None

    def onOpen(self):
        if self.path == "/bye":
            self.sendMessage(b"bye", isBinary=False)
            # sendClose lets an application send only 1000 or 3000-4999; 1001 goes through the frame-level call
            # Autobahn uses for its own going-away close.
            self.sendCloseFrame(code=1001, reasonUtf8="bye now".encode("utf-8"))

    def onMessage(self, payload, isBinary):
        if not isBinary and payload == b"fragmented":
            self.beginMessage(isBinary=False)
            for part in (b"frag", b"ment", b"ed"):
                self.sendMessageFrame(part)
            self.endMessage()
        elif not isBinary and payload == b"ping":
            self.sendPing(b"xyz")
        else:
            self.sendMessage(payload, isBinary)

    def onPong(self, payload):
        if payload == b"xyz":
            self.sendMessage(b"pong xyz", isBinary=False)

    def onClose(self, wasClean, code, reason):
        print(f"closed {self.remoteCloseCode} [{self.remoteCloseReason or ''}]", flush=True)

def main(deflate):
    factory = WebSocketServerFactory()  # the URL only names the server in headers; the port is chosen below
    factory.protocol = Server
    if deflate == "on":
        factory.setProtocolOptions(perMessageCompressionAccept=lambda offers: next(
            (PerMessageDeflateOfferAccept(o) for o in offers if isinstance(o, PerMessageDeflateOffer)), None))
    port = reactor.listenTCP(0, factory, interface="127.0.0.1")
    print("listening", port.getHost().port, flush=True)
    reactor.run()

main(sys.argv[1])
