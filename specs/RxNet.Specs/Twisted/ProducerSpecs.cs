using System.Reactive.Concurrency;
using Microsoft.Reactive.Testing;
using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// Producers and consumers on the transport: push producers follow the output's <c>Writable</c>, pull producers are
/// asked once per chunk while it is writable, both are stopped when the connection ends, and the transport pauses its
/// own input as a push producer. The 64 MiB transfers run on the simulated network against a reader that reads slowly.
/// </summary>
public sealed class ProducerSpecs
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public void RegisterProducer_WhileAnotherIsRegistered_ThrowsAndKeepsTheFirst()
    {
        var (transport, _) = Connect();
        var first = new Push();
        transport.RegisterProducer(first, streaming: true);

        var error = Assert.Throws<InvalidOperationException>(() => transport.RegisterProducer(new Push(), streaming: true));

        Assert.Contains("never unregistered", error.Message, StringComparison.Ordinal);
        transport.UnregisterProducer();
        transport.RegisterProducer(new Push(), streaming: true); // free again
    }

    [Fact]
    public void RegisterProducer_PullProducerAsStreaming_ThrowsArgumentException()
    {
        var (transport, _) = Connect();

        Assert.Throws<ArgumentException>(() => transport.RegisterProducer(new FileSender(), streaming: true));
    }

    [Fact]
    public void RegisterProducer_PushProducer_PausedWhenTheOutputIsNotWritableAndResumedWhenItIs()
    {
        var (transport, connection) = Connect();
        var producer = new Push();
        transport.RegisterProducer(producer, streaming: true);

        connection.Output.SetWritable(false);
        connection.Output.SetWritable(false);
        Assert.Equal(["pause"], producer.Calls);
        connection.Output.SetWritable(true);
        transport.UnregisterProducer();
        connection.Output.SetWritable(false);

        Assert.Equal(["pause", "resume"], producer.Calls);
    }

    [Fact]
    public void RegisterProducer_PullProducer_AskedPerChunkWhileWritableThenAgainWhenWritable()
    {
        var (transport, connection) = Connect();
        var producer = new Pull(transport, chunks: 5, onWrite: n =>
        {
            if (n == 2)
                ((FakeConnection)transport.Connection).Output.SetWritable(false);
        });

        transport.RegisterProducer(producer, streaming: false);
        Assert.Equal(3, producer.Asked);                 // chunks 0, 1 and 2: the third filled the output
        connection.Output.SetWritable(true);

        Assert.Equal(6, producer.Asked);                 // 5 chunks, then the call that found nothing and unregistered
        Assert.Equal(["0", "1", "2", "3", "4"], connection.Output.Writes.Select(w => w.AsText()));
        connection.Output.SetWritable(false);
        connection.Output.SetWritable(true);
        Assert.Equal(6, producer.Asked);                 // unregistered: never asked again
    }

    [Fact]
    public void RegisterProducer_ConnectionEnds_TheProducerIsStoppedOnceBeforeConnectionLost()
    {
        var protocol = new Recording();
        var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);
        var producer = new Push { OnStop = () => protocol.Events.Add("stop") };
        protocol.Transport.RegisterProducer(producer, streaming: true);

        connection.Dispose();

        Assert.Equal(["stop", "lost"], protocol.Events);
        var late = new Push();
        protocol.Transport.RegisterProducer(late, streaming: true);
        Assert.Equal(["stop"], late.Calls);              // registered after the end: stopped at once, as Twisted does
    }

    [Fact]
    public void RegisterProducer_ProducerThrows_EndsTheConnectionWithItsException()
    {
        var (transport, connection) = Connect();
        var producer = new Push { OnPause = () => throw new InvalidOperationException("broken producer") };
        transport.RegisterProducer(producer, streaming: true);

        connection.Output.SetWritable(false);

        Assert.Equal("broken producer", Assert.IsType<InvalidOperationException>(connection.Output.Error).Message);
    }

    [Fact]
    public void PauseProducing_OnTheTransport_PausesTheInputUntilResumeProducing()
    {
        var protocol = new Recording();
        var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        protocol.Transport.PauseProducing();
        connection.Input.Receive("held");
        Assert.True(connection.Input.IsPaused);
        Assert.Empty(protocol.Events);
        protocol.Transport.ResumeProducing();

        Assert.Equal(["data:held"], protocol.Events);
        Assert.False(connection.Input.IsPaused);
    }

    [Fact]
    public void StopProducing_OnTheTransport_LosesTheConnection()
    {
        var (transport, connection) = Connect();

        transport.StopProducing();

        Assert.Equal(1, connection.Output.CompletedCount);
    }

    [Fact]
    public void IntNStringReceiver_PauseProducingFromStringReceived_LaterStringsWaitUntilResumeProducing()
    {
        var protocol = new PausingInt16();
        var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive(new byte[] { 0, 1, (byte)'a', 0, 1, (byte)'b', 0 });
        Assert.Equal(["a"], protocol.Strings);
        Assert.True(connection.Input.IsPaused);
        connection.Input.Receive(new byte[] { 1, (byte)'c' });   // held by the paused input
        protocol.ResumeProducing();
        Assert.Equal(["a", "b"], protocol.Strings);
        protocol.ResumeProducing();

        Assert.Equal(["a", "b", "c"], protocol.Strings);
        Assert.True(protocol.Paused);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Producer_64MiBThroughASlowReader_PendingNeverAboveTheHighWaterMarkPlusOneChunkAndEveryByteInOrder(bool streaming)
    {
        const long Total = 64L * MiB;
        const int Chunk = 16384;
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var (client, server) = network.ConnectPair();
        var slow = client.Throttle(readBytesPerSecond: 32 * MiB, writeBytesPerSecond: 0, scheduler); // the reader reads slowly
        long received = 0;
        bool inOrder = true;
        slow.Input.Subscribe(chunk =>
        {
            foreach (byte b in chunk.Span)
                inOrder &= b == Pattern.At(received++);
        });
        var protocol = new Recording();
        ConnectionTransport.Attach(server, protocol);
        var consumer = new MeasuringConsumer(protocol.Transport);
        Task<byte?>? transfer = null;
        if (streaming)
            new PushSource(consumer, scheduler, Total, Chunk).Start();
        else
            transfer = new FileSender { ChunkSize = Chunk }.BeginFileTransferAsync(new Pattern(Total), consumer);

        scheduler.Start();

        Assert.Equal(Total, received);
        Assert.True(inOrder, "the bytes arrived out of order or changed");
        Assert.InRange(consumer.MaxPending, ConnectionOptions.Default.HighWaterMark, ConnectionOptions.Default.HighWaterMark + Chunk);
        Assert.InRange(scheduler.Clock, 2 * TimeSpan.TicksPerSecond, 3 * TimeSpan.TicksPerSecond); // 64 MiB at 32 MiB/s
        if (transfer is not null)
        {
            Assert.True(transfer.IsCompletedSuccessfully);
            Assert.Equal(Pattern.At(Total - 1), await transfer);
        }
    }

    private static (ITransport Transport, FakeConnection Connection) Connect()
    {
        var protocol = new Recording();
        var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);
        return (protocol.Transport, connection);
    }

    private sealed class Recording : Protocol
    {
        public List<string> Events { get; } = [];

        public override void DataReceived(ReadOnlyMemory<byte> data) => Events.Add("data:" + System.Text.Encoding.UTF8.GetString(data.Span));

        public override void ConnectionLost(ConnectionClosed reason) => Events.Add("lost");
    }

    /// <summary>Pauses itself after each string, as Twisted's ConsumingProtocol does after each line.</summary>
    private sealed class PausingInt16 : Int16StringReceiver
    {
        public List<string> Strings { get; } = [];

        public override void StringReceived(ReadOnlyMemory<byte> data)
        {
            Strings.Add(System.Text.Encoding.ASCII.GetString(data.Span));
            PauseProducing();
        }
    }

    private sealed class Push : IPushProducer
    {
        public List<string> Calls { get; } = [];

        public Action? OnPause { get; init; }

        public Action? OnStop { get; init; }

        public void PauseProducing()
        {
            Calls.Add("pause");
            OnPause?.Invoke();
        }

        public void ResumeProducing() => Calls.Add("resume");

        public void StopProducing()
        {
            Calls.Add("stop");
            OnStop?.Invoke();
        }
    }

    /// <summary>Writes chunk "0", "1"... one per call; unregisters on the call after the last.</summary>
    private sealed class Pull(ITransport transport, int chunks, Action<int> onWrite) : IPullProducer
    {
        public int Asked { get; private set; }

        public void ResumeProducing()
        {
            int n = Asked++;
            if (n == chunks)
            {
                transport.UnregisterProducer();
                return;
            }
            transport.Write(System.Text.Encoding.ASCII.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            onWrite(n);
        }

        public void StopProducing()
        {
        }
    }

    /// <summary>A push producer that writes a chunk per scheduler turn while not paused.</summary>
    private sealed class PushSource(IConsumer consumer, IScheduler scheduler, long total, int chunk) : IPushProducer
    {
        private readonly byte[] _buffer = new byte[chunk];
        private long _sent;
        private bool _paused;
        private bool _scheduled;

        public void Start()
        {
            consumer.RegisterProducer(this, streaming: true);
            Next();
        }

        public void PauseProducing() => _paused = true;

        public void ResumeProducing()
        {
            _paused = false;
            Next();
        }

        public void StopProducing() => _paused = true;

        private void Next()
        {
            if (_scheduled || _paused || _sent == total)
                return;
            _scheduled = true;
            scheduler.Schedule(() =>
            {
                _scheduled = false;
                if (_paused)
                    return;
                int length = (int)Math.Min(chunk, total - _sent);
                for (int i = 0; i < length; i++)
                    _buffer[i] = Pattern.At(_sent + i);
                _sent += length;
                consumer.Write(_buffer.AsMemory(0, length));
                if (_sent == total)
                    consumer.UnregisterProducer();
                else
                    Next();
            });
        }
    }

    /// <summary>Passes everything to the transport and records the output's largest queue after each write.</summary>
    private sealed class MeasuringConsumer(ITransport transport) : IConsumer
    {
        public long MaxPending { get; private set; }

        public void Write(ReadOnlyMemory<byte> data)
        {
            transport.Write(data);
            MaxPending = Math.Max(MaxPending, transport.Connection.Output.PendingBytes);
        }

        public void RegisterProducer(IProducer producer, bool streaming) => transport.RegisterProducer(producer, streaming);

        public void UnregisterProducer() => transport.UnregisterProducer();
    }

    /// <summary>A read-only stream of <c>length</c> bytes whose byte <c>i</c> is <see cref="At"/>(i): no 64 MiB array.</summary>
    private sealed class Pattern(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public static byte At(long i) => (byte)((i * 31) ^ (i >> 13));

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - _position);
            for (int i = 0; i < n; i++)
                buffer[offset + i] = At(_position + i);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
