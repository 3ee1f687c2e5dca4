using Xunit;

namespace Demos.Specs;

/// <summary>The virtual-time demo, run as a user runs it: a replayable trace of an echo and of one
/// simulated hour with a partition, idle drops and reconnects.</summary>
[Trait("Category", "Integration")]
public sealed class VirtualTimeDemoSpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task VirtualTime_SameSeedTwice_PrintsTheSameTraceByteForByte()
    {
        string first = Trace(await RunAsync("--seed", "5"));
        string second = Trace(await RunAsync("--seed", "5"));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task VirtualTime_AnotherSeed_PrintsADifferentTrace()
    {
        Assert.NotEqual(Trace(await RunAsync("--seed", "1")), Trace(await RunAsync("--seed", "2")));
    }

    [Fact]
    public async Task VirtualTime_OneHour_ShowsTheEchoThePartitionTheIdleDropsAndTheReconnect()
    {
        string output = await RunAsync();

        Assert.Contains("client: Received: Hello, RxNet Server!", output, StringComparison.Ordinal);
        Assert.Contains("00:10:00 * network: client and server partitioned", output, StringComparison.Ordinal);
        Assert.Contains("00:20:00 * network: partition healed", output, StringComparison.Ordinal);
        Assert.Contains("server: client:49152 idle for 60 s, dropping it", output, StringComparison.Ordinal);
        Assert.Contains("client: no echo for 60 s, abandoning the connection", output, StringComparison.Ordinal);
        Assert.Contains("connect failed (TimeoutException)", output, StringComparison.Ordinal);
        Assert.Contains("client: connected as client:", output, StringComparison.Ordinal);
        Assert.Matches(@"simulated 01:00:00 in \d+ ms of wall time\n$", output.ReplaceLineEndings("\n"));
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        using var demo = DemoProcess.Demo("VirtualTime", args);
        Assert.Equal(0, await demo.ExitCode(Timeout));
        return demo.Output;
    }

    /// <summary>Everything but the last line, which reports the wall time.</summary>
    private static string Trace(string output)
    {
        string text = output.ReplaceLineEndings("\n").TrimEnd('\n');
        return text[..text.LastIndexOf('\n')];
    }
}
