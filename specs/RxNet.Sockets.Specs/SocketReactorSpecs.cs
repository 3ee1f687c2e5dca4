using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Sockets.Specs;

/// <summary>The socket reactor survives a callback that throws on its event-loop thread: the failure is logged with
/// its source through <see cref="TcpOptions.LoggerFactory"/> and later callbacks still run.</summary>
public sealed class SocketReactorSpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CallLater_CallbackThrows_IsLoggedWithItsSourceAndALaterCallStillRuns()
    {
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        using var reactor = new SocketReactor(TcpOptions.Default with { LoggerFactory = loggerFactory });
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        reactor.CallLater(TimeSpan.Zero, () => throw new InvalidOperationException("boom"));
        reactor.CallLater(TimeSpan.Zero, later.SetResult); // queued behind the failing one on the same thread

        await later.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var entry = Assert.Single(logs.Collector.GetSnapshot(), r => r.Category == "RxNet.Reactor");
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("boom", entry.Exception?.Message);
        Assert.Contains("(CallLater(00:00:00) ", entry.Message, StringComparison.Ordinal);
    }
}
