using System.Reactive;
using System.Reactive.Linq;
using Xunit;

namespace RxNet.Testing.Contracts;

/// <summary>
/// The connection contract (<see cref="IConnection"/>, <see cref="IConnectionOutput"/>) as a suite of
/// xunit specs that every transport must pass: ordering and integrity under any chunking, half-close,
/// reset, abort, the single subscriber, flow control and <see cref="IConnectionOutput.Writable"/>,
/// the reasons of <see cref="IConnection.Closed"/>, and teardown on dispose.
/// </summary>
/// <remarks>
/// <para>To check a transport, derive a public sealed test class from this one (usually through
/// <see cref="RealTimeTransportContract"/> for operating-system transports or
/// <see cref="VirtualTimeTransportContract"/> for transports driven by a <c>TestScheduler</c>) and
/// implement <see cref="ConnectAsync"/>: xunit then runs every spec of the suite against it. The
/// specs are written once, against the contract only; they never sleep, never read a clock, and
/// wait only through <see cref="RunUntilAsync{T}"/>, so the same body runs in virtual time and on
/// real sockets.</para>
/// <para>Each spec gets a fresh instance. Connections made through <see cref="ConnectAsync"/> are
/// disposed (aborted) when the spec ends; override <see cref="DisposeAsyncCore"/> to release what
/// the subclass made (listeners, networks) as well.</para>
/// </remarks>
public abstract partial class TransportContract : IAsyncDisposable
{
    /// <summary>The seed of the byte streams the specs send (see the spec descriptions).</summary>
    private const ulong StreamSeed = 0x5EED_2024_0611;

    private readonly Lock _lock = new();
    private readonly List<ConnectionPair> _pairs = [];

    /// <summary>
    /// The largest chunk the transport's input hands to a subscriber: how far past the high-water mark
    /// an output fed by a paused input may go. 64 KiB by default (ADR 0003).
    /// </summary>
    protected virtual int MaxReadChunk => 64 * 1024;

    /// <summary>
    /// The size of the streams that check ordering and integrity end to end: 1 MiB by default. A world
    /// in which every byte is costly (one-byte segments in virtual time, say) may make it smaller;
    /// keep it well above <see cref="MaxReadChunk"/> and the water marks.
    /// </summary>
    protected virtual long StreamBytes => 1024 * 1024;

    /// <summary>
    /// Whether an abort reaches the peer as a reset: true by default, as for TCP (an RST) and the
    /// simulated network. A Unix socket has no reset: its peer sees the end of the stream after whatever
    /// had arrived, so a subclass for such a transport returns false, and the facts about the peer's side
    /// of an abort then require that the peer's input ends cleanly and that the peer, half-closed, closes
    /// as <see cref="ConnectionCloseReason.PeerClose"/> once its own output ends; the aborting side's facts
    /// are the same for every transport.
    /// </summary>
    protected virtual bool PeerSeesAborts => true;

    /// <summary>
    /// Makes a new connection and returns both of its ends, with <paramref name="options"/> as the
    /// flow-control limits of each end. Nobody is subscribed to either input yet.
    /// </summary>
    /// <param name="options">The water marks both ends use.</param>
    /// <returns>The client end (which connected) and the server end (which was accepted).</returns>
    /// <remarks>A spec may call this several times; each call returns a new, independent
    /// connection (later calls may reuse the same listener).</remarks>
    protected abstract Task<ConnectionPair> ConnectAsync(ConnectionOptions options);

    /// <summary>
    /// Lets the world run until <paramref name="source"/> produces its first value, and returns it.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="source">What to wait for (hot or cold); it is subscribed once and unsubscribed after.</param>
    /// <param name="description">What is awaited, as words that complete "ran until ...", for the failure message.</param>
    /// <returns>The first value. Fails with the source's error if it fails first, and with a message
    /// naming <paramref name="description"/> if it completes empty or the world cannot produce it.</returns>
    /// <remarks>In virtual time this advances the scheduler, and fails at once when nothing is left to
    /// run; in real time it awaits, bounded by a generous safety limit that is never a timing
    /// assumption: a correct transport produces the value long before it.</remarks>
    protected abstract Task<T> RunUntilAsync<T>(IObservable<T> source, string description);

    /// <summary>
    /// Lets everything already sent reach the receiving ends' buffers. In virtual time this runs the
    /// world until nothing is left to run; a real transport returns at once, since what was handed to
    /// the operating system is kept there for the receiver.
    /// </summary>
    /// <returns>When the world has settled.</returns>
    protected abstract Task SettleAsync();

    /// <summary>Disposes every connection the spec made, then what <see cref="DisposeAsyncCore"/> releases.</summary>
    /// <returns>When everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the spec made: by default, aborts every connection made through
    /// <see cref="ConnectAsync"/>. Subclasses that override it call the base too.</summary>
    /// <returns>When everything is released.</returns>
    protected virtual ValueTask DisposeAsyncCore()
    {
        ConnectionPair[] pairs;
        lock (_lock)
        {
            pairs = [.. _pairs];
            _pairs.Clear();
        }
        foreach (var pair in pairs)
        {
            pair.Client.Dispose();
            pair.Server.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Connects through the subclass and remembers the pair for teardown.</summary>
    private async Task<ConnectionPair> OpenAsync(ConnectionOptions? options = null)
    {
        var pair = await ConnectAsync(options ?? ConnectionOptions.Default);
        ArgumentNullException.ThrowIfNull(pair);
        lock (_lock)
            _pairs.Add(pair);
        return pair;
    }

    /// <summary>Writes a line to the spec's output, where the runner shows it.</summary>
    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>Subscribes a new probe to <paramref name="input"/>.</summary>
    private static InputProbe Probe(IObservable<ReadOnlyMemory<byte>> input, bool keep = true, ulong? pattern = null)
    {
        var probe = new InputProbe(keep, pattern);
        probe.SubscribeTo(input);
        return probe;
    }

    /// <summary>The peer's side of an abort: a reset where the transport signals one (see <see cref="PeerSeesAborts"/>).</summary>
    private async Task AssertPeerSawAbortAsync(InputProbe peerIn, IConnection peer, string whose)
    {
        var end = await RunUntilEndedAsync(peerIn, whose);
        if (PeerSeesAborts)
        {
            Assert.IsType<ConnectionResetException>(end.Error);
            var closed = await RunUntilClosedAsync(peer, whose);
            Assert.Equal(ConnectionCloseReason.Reset, closed.Reason);
            Assert.IsType<ConnectionResetException>(closed.Error);
            Assert.False(closed.IsClean);
        }
        else
        {
            // Seen as the peer's end of stream: the connection is half-closed until its own output ends.
            Assert.Null(end.Error);
            peer.Output.OnCompleted();
            var closed = await RunUntilClosedAsync(peer, whose);
            Assert.Equal(ConnectionCloseReason.PeerClose, closed.Reason);
            Assert.True(closed.IsClean);
        }
    }

    private Task<ProbeState> RunUntilEndedAsync(InputProbe probe, string whose) =>
        RunUntilAsync(probe.WhenEnded, $"{whose} input ended");

    private Task<ConnectionClosed> RunUntilClosedAsync(IConnection connection, string whose) =>
        RunUntilAsync(connection.Closed, $"{whose} side closed");

    /// <summary>
    /// Writes the pattern stream to <paramref name="output"/> as a well-behaved producer does: only
    /// while it is writable, until <paramref name="total"/> bytes are written or
    /// <paramref name="until"/> has seen its output go unwritable.
    /// </summary>
    private async Task WriteHonouringWritableAsync(IConnectionOutput output, PatternWriter writer, long total, WritableRecorder? until = null)
    {
        var ready = output.Writable.Where(w => w).Select(_ => Unit.Default);
        if (until is not null)
            ready = ready.Merge(until.WentFalse);
        while (writer.Written < total && until?.HasGoneFalse != true)
        {
            await RunUntilAsync(ready, "the writer's output was writable" + (until is null ? "" : ", or the far output was not"));
            if (until?.HasGoneFalse == true)
                break;
            writer.WriteNext(output, total);
        }
    }

    /// <summary>Writes the <see cref="Pattern"/> stream in pieces of random size from one reused
    /// buffer, which it scribbles over after each write: a transport that did not copy would send the
    /// scribbles.</summary>
    private sealed class PatternWriter(ulong seed, int maxWrite, int sizeSeed)
    {
#pragma warning disable CA5394 // sizes only need to vary, reproducibly
        private readonly Random _sizes = new(sizeSeed);
#pragma warning restore CA5394
        private readonly byte[] _buffer = new byte[maxWrite];

        public long Written { get; private set; }

        public void WriteNext(IConnectionOutput output, long total)
        {
#pragma warning disable CA5394
            int size = (int)Math.Min(_sizes.Next(1, maxWrite + 1), total - Written);
#pragma warning restore CA5394
            var piece = _buffer.AsSpan(0, size);
            Pattern.Fill(seed, Written, piece);
            output.OnNext(_buffer.AsMemory(0, size));
            piece.Fill(0xEE);
            Written += size;
        }
    }
}
