namespace RxNet.Http.Client.Policies.Internal;

/// <summary>
/// One subscription of a decoded body: compressed chunks go into a <see cref="ContentDecoder"/>, decoded chunks of
/// at most <see cref="PieceSize"/> bytes come out, each a new array, while the subscriber wants them.
/// </summary>
/// <remarks>
/// <para><b>Back-pressure.</b> With a demand signal, decoding stops between two pieces as soon as it says
/// <see langword="false"/>, even in the middle of one compressed chunk (a small chunk can inflate to megabytes),
/// and resumes where it was when it says <see langword="true"/>; the source gets the same signal, so at most the
/// chunk being read waits here.</para>
/// <para><b>Limit.</b> Reads never ask the decoder for more than one byte past the limit, so a bomb is stopped
/// having inflated at most that: the body then fails with <see cref="HttpProtocolError.DecodedBodyTooLarge"/> and the
/// source's subscription is dropped.</para>
/// <para><b>Threading.</b> Source notifications, demand changes and disposal may come from different threads; one
/// drain loop at a time (a missed-work counter) decodes and calls the subscriber, so its calls are sequential.</para>
/// </remarks>
internal sealed class DecodingSink : IObserver<ReadOnlyMemory<byte>>, IDisposable
{
    /// <summary>The largest decoded chunk, and so the most inflated ahead of the subscriber.</summary>
    internal const int PieceSize = 16 * 1024;

    private readonly IObserver<ReadOnlyMemory<byte>> _downstream;
    private readonly ContentDecoder _decoder;
    private readonly string[] _codings;
    private readonly long _limit;
    private readonly Action _completing;
    private readonly byte[] _piece = new byte[PieceSize];
    private IDisposable? _upstream;
    private IDisposable? _demand;
    private Exception? _sourceError;
    private long _decoded;
    private int _work;
    private volatile bool _paused;
    private volatile bool _sourceDone;
    private volatile bool _disposed;
    private volatile bool _over; // set by the drain loop only

    /// <param name="downstream">The subscriber.</param>
    /// <param name="codings">The codings to undo, the last applied first.</param>
    /// <param name="limit">The most decoded bytes.</param>
    /// <param name="completing">Called just before the subscriber's completion (copies the trailers).</param>
    public DecodingSink(IObserver<ReadOnlyMemory<byte>> downstream, string[] codings, long limit, Action completing)
    {
        _downstream = downstream;
        _decoder = new ContentDecoder(codings);
        _codings = codings;
        _limit = limit;
        _completing = completing;
    }

    /// <summary>How many decoded bytes the decoder has produced (what was inflated, delivered or not).</summary>
    internal long Decoded => Interlocked.Read(ref _decoded);

    /// <summary>Follows the subscriber's demand signal.</summary>
    public void Watch(IObservable<bool> canProduce) =>
        _demand = canProduce.Subscribe(value =>
        {
            _paused = !value;
            if (value)
                Drain();
        }, _ => { }, () => { });

    /// <summary>Sets the source subscription, dropped with this one (and at once if this one is over).</summary>
    public void SetUpstream(IDisposable upstream)
    {
        _upstream = upstream;
        if (_disposed || _over)
            upstream.Dispose(); // it ended while the source was subscribing
    }

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (_over)
            return;
        _decoder.Feed(value);
        Drain();
    }

    public void OnError(Exception error)
    {
        _sourceError = error;
        _sourceDone = true;
        Drain();
    }

    public void OnCompleted()
    {
        _sourceDone = true;
        Drain();
    }

    public void Dispose()
    {
        _disposed = true;
        Release();
        Drain(); // frees the decoder, inside the drain loop so no read is running
    }

    private void Drain()
    {
        if (Interlocked.Increment(ref _work) != 1)
            return;
        int missed = 1;
        do
        {
            Step();
            missed = Interlocked.Add(ref _work, -missed);
        }
        while (missed != 0);
    }

    /// <summary>Decodes and delivers while the subscriber wants more and there is something to give.</summary>
    private void Step()
    {
        while (!_over)
        {
            if (_disposed)
            {
                Stop();
                return;
            }
            if (_sourceError is { } error)
            {
                Finish(error);
                return;
            }
            if (_paused)
                return;
            bool ended = _sourceDone; // read before decoding: bytes fed before the end are in the decoder by then
            if (ended)
                _decoder.End();
            int n;
            try
            {
                long room = _limit - _decoded;
                n = _decoder.Read(_piece.AsSpan(0, room >= PieceSize ? PieceSize : (int)room + 1));
            }
            catch (InvalidDataException e)
            {
                Finish(new HttpProtocolException(HttpProtocolError.InvalidContentEncoding, 502, $"The response body is not valid {string.Join(" then ", _codings)} data: {e.Message}"));
                return;
            }
            if (n > 0)
            {
                Interlocked.Add(ref _decoded, n);
                if (_decoded > _limit)
                {
                    int below = n - (int)(_decoded - _limit); // what fits under the limit is delivered first
                    if (below > 0)
                        _downstream.OnNext(_piece.AsSpan(0, below).ToArray());
                    Finish(new HttpProtocolException(HttpProtocolError.DecodedBodyTooLarge, 502, $"The decoded response body passed the {_limit} bytes DecodeContent allows (maxDecodedSize); decoding stopped there."));
                    return;
                }
                _downstream.OnNext(_piece.AsSpan(0, n).ToArray());
                continue;
            }
            if (!ended)
                return; // the decoder wants more input
            Release();
            Stop();
            _completing();
            _downstream.OnCompleted();
        }
    }

    private void Finish(Exception error)
    {
        _over = true;
        Release();
        Stop();
        _downstream.OnError(error);
    }

    private void Stop()
    {
        _over = true;
        _decoder.Dispose();
    }

    private void Release()
    {
        Interlocked.Exchange(ref _upstream, null)?.Dispose();
        Interlocked.Exchange(ref _demand, null)?.Dispose();
    }
}
