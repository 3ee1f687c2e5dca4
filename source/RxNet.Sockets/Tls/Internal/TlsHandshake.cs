using System.Net.Security;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Security.Cryptography.X509Certificates;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>Runs a TLS handshake over a connection and hands out the TLS connection once it is done.</summary>
internal static class TlsHandshake
{
    public static IObservable<ITlsConnection> Server(IConnection inner, IConnectionInput input, TlsServerOptions options)
    {
        var settings = TlsServerSettings.For(options);
        return Run(inner, input, options.Connection, options.LoggerFactory, options.HandshakeTimeout, TlsDispatch.For(options.Scheduler), "with the client", () =>
        {
            var validation = settings.NewValidation(inner);
            return (validation, (ssl, cancel) => ssl.AuthenticateAsServerAsync(settings.Create(validation), cancel));
        });
    }

    public static IObservable<ITlsConnection> Client(IConnection inner, IConnectionInput input, TlsClientOptions options, string? host)
    {
        options.Validate();
        return Run(inner, input, options.Connection, options.LoggerFactory, options.HandshakeTimeout, TlsDispatch.For(options.Scheduler), "with the server", () =>
        {
            string name = TlsClientSettings.ServerName(options, host, inner);
            var validation = new TlsValidation(options.ValidateServerCertificate, certificateOptional: false, name, $"server {name}");
            return (validation, (ssl, cancel) => ssl.AuthenticateAsClientAsync(TlsClientSettings.Create(options, name, validation), cancel));
        });
    }

    private static Handshake Run(IConnection inner, IConnectionInput input, ConnectionOptions connectionOptions,
        Microsoft.Extensions.Logging.ILoggerFactory loggers, TimeSpan timeout, TlsDispatch dispatch, string what, Func<(TlsValidation, Func<SslStream, CancellationToken, Task>)> prepare) =>
        // Not Observable.Create: its observer drops a value that races with the subscription's disposal, and a TLS
        // connection dropped that way would stay open with nobody to close it. Here delivery and disposal take one lock:
        // a connection is either handed to the observer or, if the subscriber left first, closed.
        new Handshake(observer =>
        {
            var (validation, authenticate) = prepare();
            var sessionGate = new TlsSessionGate();
            var stream = new ConnectionStream(inner, input, dispatch, sessionGate);
            var ssl = new SslStream(stream, leaveInnerStreamOpen: true); // a clean close must not stop reading the FIN underneath
            var lease = new SslStreamLease(ssl, sessionGate); // an abandoned handshake frees the session only once the handshake is out of it
            // The timeout runs on the options' scheduler when there is one, so virtual time decides it too.
            var cancel = dispatch.Scheduler is null ? new CancellationTokenSource(timeout) : new CancellationTokenSource();
            var timer = dispatch.Scheduler?.Schedule(timeout, () =>
            {
                try
                {
                    cancel.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The handshake ended as the timer fired: nothing is left to cancel.
                }
            });
            var gate = new object();
            int state = 0; // 0 running, 1 handed out or failed, 2 unsubscribed
            _ = RunAsync();
            return Disposable.Create(() =>
            {
                lock (gate)
                {
                    if (state != 0)
                        return;
                    state = 2;
                }
                timer?.Dispose();
                cancel.Cancel();
                Drop();
            });

            void Drop()
            {
                stream.Abort(new ConnectionAbortedException($"The TLS handshake {what} on {inner} was abandoned."));
                inner.Dispose();
                lease.Release();
            }

            async Task RunAsync()
            {
                TlsSession session;
                lease.TryEnter(); // nothing released it yet: the handshake has not started
                try
                {
                    await authenticate(ssl, cancel.Token).ConfigureAwait(false);
                    session = new TlsSession(ssl.SslProtocol, ssl.NegotiatedCipherSuite,
                        ssl.NegotiatedApplicationProtocol.Protocol.IsEmpty ? null : ssl.NegotiatedApplicationProtocol.ToString(),
                        string.IsNullOrEmpty(ssl.TargetHostName) ? null : ssl.TargetHostName,
                        // A copy: the session outlives the SslStream, which disposes its own.
                        ssl.RemoteCertificate is { } remote ? X509CertificateLoader.LoadCertificate(remote.GetRawCertData()) : null);
                }
                catch (Exception e)
                {
                    lease.Exit();
                    bool timedOut = cancel.IsCancellationRequested;
                    lock (gate)
                    {
                        if (state != 0)
                            return;
                        state = 1;
                    }
                    timer?.Dispose();
                    cancel.Dispose();
                    // The error first, then the reset: whoever logs it has done so before the peer sees the connection go.
                    try
                    {
                        observer.OnError(timedOut
                            ? new TlsAuthenticationException(TlsFailure.Timeout, $"The TLS handshake {what} on {inner} took longer than {timeout.TotalSeconds:0.###} s.", e)
                            : validation.Failed(stream.InputError ?? e, $"{what} on {inner}"));
                    }
                    finally
                    {
                        Drop();
                    }
                    return;
                }
                lease.Exit(); // frees the session if the handshake was abandoned meanwhile
                lock (gate) // held while delivering, so a disposal from another thread waits until the observer has it
                {
                    if (state != 0)
                        return; // abandoned: Drop released everything
                    state = 1;
                    timer?.Dispose();
                    cancel.Dispose();
                    var connection = new TlsConnection(inner, lease, stream, session, connectionOptions, dispatch,
                        Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<TlsConnection>(loggers));
                    try
                    {
                        observer.OnNext(connection);
                        observer.OnCompleted();
                    }
                    catch (Exception e)
                    {
                        // The subscriber threw while taking the connection: it owns nothing, so close it (as the socket
                        // endpoints do) rather than leave it open behind an unobserved task.
                        connection.Fail(e);
                    }
                }
            }
        });

    /// <summary>An observable that hands its subscriber's observer to <c>subscribe</c> as it is.</summary>
    private sealed class Handshake(Func<IObserver<ITlsConnection>, IDisposable> subscribe) : IObservable<ITlsConnection>
    {
        public IDisposable Subscribe(IObserver<ITlsConnection> observer)
        {
            ArgumentNullException.ThrowIfNull(observer);
            return subscribe(observer);
        }
    }
}
