using System.Reactive.Disposables;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// A TLS client endpoint's <c>Connect</c>: connects underneath, then runs the handshake with the subscriber's own
/// observer. Not <c>SelectMany</c>: its sink drops a value that races with the subscription's disposal, and a TLS
/// connection dropped that way would stay open with nobody to close it; the handshake hands its connection straight
/// to the subscriber or, if the subscriber left first, closes it.
/// </summary>
internal sealed class TlsConnect(IClientEndpoint inner, TlsClientOptions options, string? host) : IObservable<IConnection>
{
    public IDisposable Subscribe(IObserver<IConnection> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var handshake = new SingleAssignmentDisposable();
        var connecting = inner.Connect().Subscribe(new Underneath(observer, handshake, options, host));
        return new CompositeDisposable(connecting, handshake);
    }

    private sealed class Underneath(IObserver<IConnection> observer, SingleAssignmentDisposable handshake, TlsClientOptions options, string? host)
        : IObserver<IConnection>
    {
        private int _connected;

        public void OnNext(IConnection value)
        {
            if (Interlocked.Exchange(ref _connected, 1) != 0)
            {
                value.Dispose(); // an endpoint emits one connection; another would have no owner
                return;
            }
            handshake.Disposable = TlsHandshake.Client(value, value.Input, options, host).Subscribe(observer);
        }

        public void OnError(Exception error) => observer.OnError(error);

        public void OnCompleted()
        {
            if (Volatile.Read(ref _connected) == 0)
                observer.OnCompleted(); // ended without a connection; otherwise the handshake completes the subscriber
        }
    }
}
