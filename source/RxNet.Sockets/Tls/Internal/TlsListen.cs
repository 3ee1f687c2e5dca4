using System.Net;
using System.Reactive.Disposables;
using Microsoft.Extensions.Logging;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// A TLS server endpoint's <c>Listen</c>: a handshake per accepted connection, the finished ones emitted one at a
/// time. Not <c>SelectMany</c>: its sink drops a value that races with the subscription's disposal, and a TLS
/// connection dropped that way would stay open with nobody to close it. Here a handshake that finishes after the
/// subscriber left closes its connection; one still running is abandoned, which closes it too.
/// </summary>
/// <remarks>A failed handshake costs only its own connection (already reset): it is logged and the others are
/// served.</remarks>
internal sealed class TlsListen(IServerEndpoint inner, TlsServerOptions options, ILogger logger, Action<EndPoint>? onListening)
    : IObservable<IConnection>
{
    public IDisposable Subscribe(IObserver<IConnection> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new Sink(observer, options, logger);
        sink.Listening.Disposable = inner.Listen(onListening).Subscribe(sink);
        return sink;
    }

    private sealed class Sink(IObserver<IConnection> observer, TlsServerOptions options, ILogger logger) : IObserver<IConnection>, IDisposable
    {
        private readonly object _gate = new(); // held while calling the observer: Rx's one-call-at-a-time rule
        private readonly CompositeDisposable _handshakes = [];
        private bool _stopped; // disposed, or the listener ended
        private bool _listenerCompleted;

        public SingleAssignmentDisposable Listening { get; } = new();

        public void OnNext(IConnection value)
        {
            var handshake = new SingleAssignmentDisposable();
            lock (_gate)
            {
                if (_stopped)
                {
                    value.Dispose();
                    return;
                }
                _handshakes.Add(handshake);
            }
            handshake.Disposable = TlsHandshake.Server(value, value.Input, options).Subscribe(new Handshaken(this, value, handshake, logger));
        }

        public void OnError(Exception error)
        {
            lock (_gate)
            {
                if (_stopped)
                    return;
                _stopped = true;
                observer.OnError(error);
            }
            _handshakes.Dispose();
        }

        public void OnCompleted()
        {
            lock (_gate)
            {
                _listenerCompleted = true;
                if (_stopped || _handshakes.Count > 0)
                    return; // the last handshake to end completes the subscriber
                _stopped = true;
                observer.OnCompleted();
            }
        }

        public void Dispose()
        {
            lock (_gate)
                _stopped = true;
            Listening.Dispose();
            _handshakes.Dispose(); // a running handshake, abandoned, closes its connection
        }

        private void Deliver(ITlsConnection connection)
        {
            lock (_gate)
            {
                if (!_stopped)
                {
                    observer.OnNext(connection);
                    return;
                }
            }
            connection.Dispose(); // the subscriber left as the handshake finished: nobody else would close it
        }

        private void Ended(SingleAssignmentDisposable handshake)
        {
            lock (_gate)
            {
                if (!_handshakes.Remove(handshake) || _stopped || !_listenerCompleted || _handshakes.Count > 0)
                    return;
                _stopped = true;
                observer.OnCompleted();
            }
        }

        private sealed class Handshaken(Sink sink, IConnection underneath, SingleAssignmentDisposable handshake, ILogger logger) : IObserver<ITlsConnection>
        {
            public void OnNext(ITlsConnection value) => sink.Deliver(value);

            public void OnError(Exception error)
            {
                TlsLog.HandshakeRefused(logger, underneath.RemoteEndPoint, (error as TlsAuthenticationException)?.Failure ?? TlsFailure.Handshake, error.Message);
                sink.Ended(handshake);
            }

            public void OnCompleted() => sink.Ended(handshake);
        }
    }
}
