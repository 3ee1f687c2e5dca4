using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Specs.Policies;

/// <summary>
/// <c>LogTraffic</c> on a simulated network (default link: 1 ms latency; connect at 1 ms). The server host's
/// first port is 49152, as is the client's, so a server connection is named <c>server:49152&lt;-&gt;client:49152</c>.
/// </summary>
public sealed class TrafficLogSpecs
{
    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;

    public TrafficLogSpecs() => _network = new SimulatedNetwork(_scheduler);

    [Fact]
    public void LogTraffic_EchoConversation_LogsEveryChunkBothWaysWithTimeSizeAndPreview()
    {
        var log = new StringWriter { NewLine = "\n" };
        var client = _network.ConnectTo(accepted =>
        {
            var server = accepted.LogTraffic(log, new TrafficLogOptions { Scheduler = _scheduler });
            server.Input.Subscribe(server.Output);           // echo
        });
        _ = client.Input.Record(_scheduler);

        client.Output.OnNext("hello\r\n"u8.ToArray());
        client.Output.OnNext("\"bye\"\t\\\x01"u8.ToArray());
        client.Output.OnCompleted();
        _scheduler.Start();

        Assert.Equal("""
            00:00:00.0010000 server:49152<->client:49152 open
            00:00:00.0020000 server:49152<->client:49152 in 15 bytes "hello\r\n\"bye\"\t\\\x01"
            00:00:00.0020000 server:49152<->client:49152 out 15 bytes "hello\r\n\"bye\"\t\\\x01"
            00:00:00.0020000 server:49152<->client:49152 in FIN
            00:00:00.0020000 server:49152<->client:49152 out FIN
            00:00:00.0020001 server:49152<->client:49152 closed PeerClose

            """, log.ToString());
    }

    [Fact]
    public void LogTraffic_LongChunk_PreviewIsCutAndCountsTheRest()
    {
        var log = new StringWriter { NewLine = "\n" };
        var (client, server) = _network.ConnectPair();
        var logged = client.LogTraffic(log, new TrafficLogOptions { PreviewBytes = 5, Name = "c" });

        logged.Output.OnNext(new byte[] { (byte)'a', (byte)'b', 0, 0xff, (byte)'z', (byte)'y', (byte)'x' });
        logged.Output.OnNext(Array.Empty<byte>());
        logged.Dispose();
        logged.Output.OnNext("late"u8.ToArray());

        Assert.Equal("""
            c open
            c out 7 bytes "ab\x00\xffz"... (2 more bytes)
            c abort
            c closed Aborted

            """, log.ToString());
        _ = server;
    }

    [Fact]
    public void LogTraffic_PreviewBytesZero_LogsSizesOnly()
    {
        var log = new StringWriter { NewLine = "\n" };
        var (client, server) = _network.ConnectPair();
        var logged = server.LogTraffic(log, new TrafficLogOptions { PreviewBytes = 0, Name = "s" });
        _ = logged.Input.Record(_scheduler);

        client.Output.OnNext(new byte[300]);
        _scheduler.AdvanceTo(5 * TimeSpan.TicksPerMillisecond);
        client.Dispose();
        _scheduler.Start();

        Assert.Equal("""
            s open
            s in 300 bytes
            s in failed ConnectionResetException: simulated connection server:49152<->client:49152 was reset by the peer.
            s closed Reset: simulated connection server:49152<->client:49152 was reset by the peer.

            """, log.ToString());
    }

    [Fact]
    public void LogTraffic_Listener_NumbersEachConnectionFromOne()
    {
        var log = new StringWriter { NewLine = "\n" };
        using var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .LogTraffic(log)
            .Subscribe(connection => connection.Input.Subscribe(_ => { }, _ => { }));
        foreach (var host in new[] { "alice", "bob" })
            _network.Host(host).Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect().Subscribe(c =>
            {
                c.Output.OnNext(System.Text.Encoding.ASCII.GetBytes(host));
                c.Output.OnCompleted();
            });

        _scheduler.Start();

        Assert.Equal("""
            #1 server:8000<->alice:49152 open
            #2 server:8000<->bob:49152 open
            #1 server:8000<->alice:49152 in 5 bytes "alice"
            #1 server:8000<->alice:49152 in FIN
            #2 server:8000<->bob:49152 in 3 bytes "bob"
            #2 server:8000<->bob:49152 in FIN

            """, log.ToString());
    }

    [Fact]
    public void LogTraffic_Logger_WritesStructuredEntriesAtTheChosenLevel()
    {
        var logger = new ListLogger();
        var (client, server) = _network.ConnectPair();
        var logged = server.LogTraffic(logger, new TrafficLogOptions { Level = LogLevel.Information, Name = "s" });
        _ = logged.Input.Record(_scheduler);

        client.Output.OnNext("hi"u8.ToArray());
        _scheduler.AdvanceTo(5 * TimeSpan.TicksPerMillisecond);
        logged.Output.OnError(new InvalidDataException("no thanks"));
        _scheduler.Start();

        Assert.Equal([
            (LogLevel.Information, 1, "s open"),
            (LogLevel.Information, 2, "s in 2 bytes \"hi\""),
            (LogLevel.Information, 7, "s out abort InvalidDataException: no thanks"),
            (LogLevel.Information, 5, "s in failed ConnectionAbortedException: simulated connection server:49152<->client:49152 was aborted by this side."),
            (LogLevel.Information, 9, "s closed Aborted: no thanks")], logger.Entries);
        Assert.Equal("s", logger.States[1]["Connection"]);
        Assert.Equal(2, logger.States[1]["Count"]);
        Assert.Equal("\"hi\"", logger.States[1]["Preview"]);
    }

    [Fact]
    public void LogTraffic_LoggerBelowItsLevel_WritesNothing()
    {
        var logger = new ListLogger { MinimumLevel = LogLevel.Information };
        var (client, server) = _network.ConnectPair();
        var logged = server.LogTraffic(logger);               // Debug by default
        _ = logged.Input.Record(_scheduler);

        client.Output.OnNext("hi"u8.ToArray());
        _scheduler.Start();

        Assert.Empty(logger.Entries);
    }

    /// <summary>Keeps what it is told, with the structured values of each entry.</summary>
    private sealed class ListLogger : ILogger
    {
        public LogLevel MinimumLevel { get; init; } = LogLevel.Trace;

        public List<(LogLevel Level, int EventId, string Message)> Entries { get; } = [];

        public List<Dictionary<string, object?>> States { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
            States.Add(state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : []);
        }
    }
}
