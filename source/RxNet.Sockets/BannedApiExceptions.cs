using System.Diagnostics.CodeAnalysis;

// The socket layer's documented uses of the real clock (source/BannedSymbols.txt bans it everywhere
// in source/; docs/adr/0017-determinism-by-construction.md says why each is allowed). Each exception
// names one member, so a new use anywhere else, even in the same type, still fails the build.

// Out of descriptors (EMFILE, ENOBUFS), the accept loop waits 10 ms before it tries again: the system
// has to free something first, and the reactor's scheduler is not the place to park an accept loop.
[assembly: SuppressMessage("ApiDesign", "RS0030:Do not use banned APIs", Scope = "member",
    Target = "~M:RxNet.Sockets.Internal.StreamListener.AcceptLoopAsync(System.Net.Sockets.Socket,System.IObserver{RxNet.IConnection},System.Threading.Lock,System.Threading.CancellationToken)~System.Threading.Tasks.Task",
    Justification = "Back-off on a real socket error; real time by nature (ADR 0017).")]

// The connect timeout bounds the operating system's DNS look-up and connect, which only a
// cancellation token can stop; both run in real time whatever the scheduler.
[assembly: SuppressMessage("ApiDesign", "RS0030:Do not use banned APIs", Scope = "member",
    Target = "~M:RxNet.Sockets.TcpClientEndpoint.ConnectSocketAsync(System.Threading.CancellationToken)~System.Threading.Tasks.Task{System.Net.Sockets.Socket}",
    Justification = "Timeout of a real DNS look-up and connect (ADR 0017).")]
[assembly: SuppressMessage("ApiDesign", "RS0030:Do not use banned APIs", Scope = "member",
    Target = "~M:RxNet.Sockets.UnixClientEndpoint.ConnectSocketAsync(System.Threading.CancellationToken)~System.Threading.Tasks.Task{System.Net.Sockets.Socket}",
    Justification = "Timeout of a real Unix-socket connect (ADR 0017).")]

// A TLS handshake given no scheduler (TlsServerOptions.Scheduler / TlsClientOptions.Scheduler unset)
// times out on the real clock; given one, it times out on that scheduler, virtual time included.
[assembly: SuppressMessage("ApiDesign", "RS0030:Do not use banned APIs", Scope = "member",
    Target = "~M:RxNet.Sockets.Tls.Internal.TlsHandshake.Run(RxNet.IConnection,RxNet.IConnectionInput,RxNet.ConnectionOptions,Microsoft.Extensions.Logging.ILoggerFactory,System.TimeSpan,RxNet.Sockets.Tls.Internal.TlsDispatch,System.String,System.Func{System.ValueTuple{RxNet.Sockets.Tls.Internal.TlsValidation,System.Func{System.Net.Security.SslStream,System.Threading.CancellationToken,System.Threading.Tasks.Task}}})~RxNet.Sockets.Tls.Internal.TlsHandshake.Handshake",
    Justification = "Real-time fallback of the handshake timeout when no scheduler is given (ADR 0017).")]

// The socket reactor's event loop is the real clock of a real reactor: it times its work on the monotonic clock and
// reports the wall clock as its scheduler's Now. Both readings live in ReactorClock, and nowhere else in the loop.
[assembly: SuppressMessage("ApiDesign", "RS0030:Do not use banned APIs", Scope = "member",
    Target = "~M:RxNet.Sockets.Internal.ReactorClock.ElapsedTicks~System.Int64",
    Justification = "The reactor's monotonic clock (ADR 0017, ADR 0055).")]
[assembly: SuppressMessage("ApiDesign", "RS0030:Do not use banned APIs", Scope = "member",
    Target = "~M:RxNet.Sockets.Internal.ReactorClock.UtcNow~System.DateTimeOffset",
    Justification = "The reactor scheduler's Now is the wall clock (ADR 0017, ADR 0055).")]
