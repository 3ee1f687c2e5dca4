# The twisted.web peer of the client interop specs: a Site on 127.0.0.1 (port 0) with the routes every interop
# server has. Prints "listening PORT" once it accepts. Started and killed by TwistedInteropServer.cs.
#   /length      a body with Content-Length          /chunked   the same body, chunked
#   /empty       204                                 /etag      200 with ETag "v1", 304 on If-None-Match: "v1"
#   /redirect    302 to /length                      /gzip      the body gzip-encoded (Content-Encoding: gzip)
#   /close       /length, then the server closes the connection (no Connection: close in the head)
#   /reset       a head for 100000 bytes, 1000 of them, then a TCP reset
#   /connections the number of connections accepted so far, this request's own included
# Every response carries X-Connection: the serial number of the connection it was sent on.
import gzip
import socket
import struct
import sys

from twisted.internet import reactor
from twisted.web import http, resource, server

BODY = b"".join(b"line %04d of the interop body\n" % i for i in range(200))
accepted = [0]
serials = {}  # client port -> connection serial (ports are unique among open connections)


class Route(resource.Resource):
    isLeaf = True

    def render_HEAD(self, request):
        return self.render_GET(request)

    def render_GET(self, request):
        request.setHeader(b"X-Connection", str(serials.get(request.getClientAddress().port, 0)).encode())
        path = request.path
        if path in (b"/length", b"/close"):
            request.setHeader(b"Content-Type", b"text/plain")
            request.setHeader(b"Content-Length", str(len(BODY)).encode())
            if path == b"/close":
                # Close once the response is out, without announcing it: the client pools a connection that dies.
                transport = request.channel.transport
                request.notifyFinish().addBoth(lambda _: transport.loseConnection())
            return BODY
        if path == b"/chunked":
            request.setHeader(b"Content-Type", b"text/plain")
            for i in range(0, len(BODY), 1000):
                request.write(BODY[i:i + 1000])
            request.finish()
            return server.NOT_DONE_YET
        if path == b"/empty":
            request.setResponseCode(204)
            return b""
        if path == b"/etag":
            request.setHeader(b"Content-Type", b"text/plain")
            if request.setETag(b'"v1"') == http.CACHED:
                return b""
            return BODY
        if path == b"/redirect":
            request.setResponseCode(302)
            request.setHeader(b"Location", b"/length")
            request.setHeader(b"Content-Length", b"0")
            return b""
        if path == b"/gzip":
            request.setHeader(b"Content-Type", b"text/plain")
            request.setHeader(b"Content-Encoding", b"gzip")
            return gzip.compress(BODY)
        if path == b"/reset":
            # Written straight to the socket, then closed with SO_LINGER 0: the kernel has the head and the 1000 bytes
            # in the client's receive queue before the reset, which it reports only after them.
            transport = request.channel.transport
            sock = transport.getHandle()
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nX-Connection: %d\r\n\r\n" % serials.get(request.getClientAddress().port, 0) + b"x" * 1000)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abortConnection()
            return server.NOT_DONE_YET
        if path == b"/connections":
            request.setHeader(b"Content-Type", b"text/plain")
            return str(accepted[0]).encode()
        request.setResponseCode(404)
        return b"not found"


class CountingSite(server.Site):
    def buildProtocol(self, addr):
        accepted[0] += 1
        serials[addr.port] = accepted[0]
        return server.Site.buildProtocol(self, addr)


site = CountingSite(Route())
site.displayTracebacks = False
port = reactor.listenTCP(0, site, interface="127.0.0.1")
print("listening", port.getHost().port, flush=True)
reactor.callLater(600, reactor.stop)  # a safety net should the spec runner vanish without killing this process
reactor.run()
