using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using RxNet.Framing.Internal;

namespace RxNet.Proxy.Internal;

/// <summary>
/// Reads the PROXY header of one connection: subscribes its input, feeds the chunks to a
/// <see cref="ProxyHeaderDecoder"/> over a <see cref="ChunkBuffer"/> until a header comes, then unsubscribes (the
/// connection keeps what follows) and emits the connection wrapped with the header and the bytes of the last chunk
/// that followed it. A bad header, the end of the input or the timer aborts the connection and fails.
/// </summary>
/// <remarks>Not a <see cref="FrameReader"/>: the wrapped connection's input must stay the transport's own unicast,
/// pausable input after the header, which a frame reader's reads are not (ADR 0013).</remarks>
internal sealed class ProxyHeaderRead : IObserver<ReadOnlyMemory<byte>>, IDisposable
{
    private readonly IConnection _connection;
    private readonly ProxyHeaderDecoder _decoder;
    private readonly IObserver<IProxiedConnection> _observer;
    private readonly IScheduler _scheduler;
    private readonly TimeSpan _timeout;
    private readonly object _gate = new();
    private readonly ChunkBuffer _buffer = new();
    private readonly SingleAssignmentDisposable _input = new();
    private readonly SingleAssignmentDisposable _timer = new();
    private long _received;
    private bool _done;

    public ProxyHeaderRead(IConnection connection, ProxyProtocolOptions options, IScheduler scheduler, IObserver<IProxiedConnection> observer)
    {
        _connection = connection;
        _decoder = new ProxyHeaderDecoder(options.Versions);
        _observer = observer;
        _scheduler = scheduler;
        _timeout = options.HeaderTimeout;
    }

    public IDisposable Start()
    {
        _timer.Disposable = _scheduler.Schedule(_timeout, OnTimeout);
        _input.Disposable = _connection.Input.Subscribe(this);
        return this;
    }

    /// <summary>Unsubscribed before the header came: the connection was never handed out, so it is aborted.</summary>
    public void Dispose()
    {
        if (Finish())
            _connection.Dispose();
    }

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        ProxyHeader? header;
        ProxyProtocolException? error = null;
        List<ReadOnlyMemory<byte>> rest = [];
        lock (_gate)
        {
            if (_done)
                return;
            _received += value.Length;
            _buffer.Append(value);
            try
            {
                if (!_decoder.TryDecode(ref _buffer.Bytes, out header))
                    return;
                foreach (var chunk in _buffer.Bytes)
                {
                    if (!chunk.IsEmpty)
                        rest.Add(chunk); // slices of received chunks, which are ours to keep
                }
            }
            catch (ProxyProtocolException e)
            {
                header = null;
                error = e;
            }
        }
        if (error is not null)
        {
            Abort(error);
            return;
        }
        if (!Finish())
            return;
        _observer.OnNext(new ProxiedConnection(_connection, header!, rest, _scheduler));
        _observer.OnCompleted();
    }

    public void OnCompleted()
    {
        long received;
        lock (_gate)
            received = _received;
        Abort(received == 0
            ? ProxyProtocolException.Bad("the connection ended before sending a header")
            : Final());
    }

    public void OnError(Exception error) => Abort(error); // a reset before the header: the transport's own error

    private ProxyProtocolException Final()
    {
        lock (_gate)
        {
            try
            {
                _decoder.TryDecodeFinal(ref _buffer.Bytes, out _);
                return ProxyProtocolException.Bad("the connection ended inside the header");
            }
            catch (ProxyProtocolException e)
            {
                return e;
            }
        }
    }

    private void OnTimeout()
    {
        long received;
        lock (_gate)
            received = _received;
        string waited = string.Create(CultureInfo.InvariantCulture, $"{_timeout.TotalSeconds} s");
        Abort(new ProxyProtocolException(
            string.Create(CultureInfo.InvariantCulture, $"Bad PROXY protocol header: no complete header within {waited} (the header timeout); {received} bytes received."),
            new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"No complete PROXY header within {waited}."))));
    }

    private void Abort(Exception error)
    {
        if (!Finish())
            return;
        _connection.Dispose(); // the spec: abort a connection whose header does not match
        _observer.OnError(error);
    }

    /// <summary>Marks the read done, once: stops the timer and the input subscription.</summary>
    private bool Finish()
    {
        lock (_gate)
        {
            if (_done)
                return false;
            _done = true;
        }
        _timer.Dispose();
        _input.Dispose();
        return true;
    }
}
