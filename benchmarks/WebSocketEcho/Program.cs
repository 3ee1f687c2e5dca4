// The RxNet WebSocket echo server of the load driver: RxNet's HTTP server on 127.0.0.1 answering the handshake on
// /ws and echoing every message with its type (no compression, the default 1 MiB message limit, keep-alive pings
// at their 20 s default). Usage: WebSocketEcho PORT. Prints "listening PORT" once bound; stops on Ctrl+C or SIGTERM.
using System.Globalization;
using System.Reactive.Linq;
using RxNet;
using RxNet.Http;
using RxNet.Sockets;

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var port))
{
    await Console.Error.WriteLineAsync("usage: WebSocketEcho PORT");
    return 2;
}
using var reactor = new SocketReactor();
var server = new HttpServer(request => Observable.Return(request.Path == "/ws"
    ? request.AcceptWebSocket(socket => socket.Messages.Subscribe(socket.Send.OnNext, _ => { }), reactor.Scheduler)
    : HttpResponse.Status(404)), reactor.Scheduler);
var stopped = new TaskCompletionSource();
using var listening = server.Listen(reactor.ServerEndpoint($"tcp:{port}:interface=127.0.0.1")
    .Listen(_ => Console.WriteLine($"listening {port}")));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.TrySetResult();
};
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopped.TrySetResult();
});
await stopped.Task;
return 0;
