using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace RxNet.Benchmarks;

/// <summary>
/// One echoed message per operation over loopback TCP: the client sends <see cref="MessageSize"/>
/// bytes and reads exactly as many back. The client allocates nothing, so <c>Allocated</c> is what
/// the server path (receive, deliver, write, send) allocates per message.
/// </summary>
/// <remarks>
/// <para>Why the numbers mean anything: .NET's allocation counter that <c>[MemoryDiagnoser]</c>
/// reads (<c>GC.GetTotalAllocatedBytes(precise: true)</c>) is process-wide, so the servers must
/// live in the process that runs the measured methods. They do: they are started in
/// <c>[GlobalSetup]</c>, and the job below uses <see cref="InProcessEmitToolchain"/>, so
/// BenchmarkDotNet runs setup and measurement in this very process (the host). GlobalSetup prints
/// the process id it ran in next to the host's, and GlobalCleanup prints how many bytes the
/// servers, read from their objects in this process, echoed during the run.</para>
/// <para>What else the counter sees: anything the process allocates meanwhile (thread-pool and
/// socket-engine bookkeeping, on both paths). The plain-socket baseline shows that floor.</para>
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class EchoRoundTripBenchmarks
{
    private EchoServers? _servers;
    private byte[] _message = [];
    private byte[] _reply = [];
    private long _plainRoundTrips;
    private long _rxRoundTrips;

    /// <summary>Bytes per echoed message.</summary>
    [Params(64, 4096)]
    public int MessageSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = new byte[MessageSize];
        _reply = new byte[MessageSize];
        for (int i = 0; i < _message.Length; i++)
            _message[i] = (byte)('a' + (i % 26));
        _servers = EchoServers.Start();
        _plainRoundTrips = 0;
        _rxRoundTrips = 0;

        // Warm both paths once and check they really echo.
        EchoServers.RoundTrip(_servers.PlainClient, _message, _reply);
        Check();
        EchoServers.RoundTrip(_servers.RxClient, _message, _reply);
        Check();
        Console.WriteLine($"// EchoRoundTrip: servers started in process {_servers.ProcessId}; host process {Program.HostProcessId}"
                          + (_servers.ProcessId == Program.HostProcessId ? " (same process: allocations are counted)" : " (DIFFERENT PROCESS)"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_servers is null)
            return;
        // +1: the warm-up round trip of Setup.
        Console.WriteLine($"// EchoRoundTrip: process {Environment.ProcessId}, {MessageSize} B messages; "
                          + $"plain server received {_servers.PlainServerBytesReceived} B for {_plainRoundTrips + 1} round trips; "
                          + $"RxNet server received {_servers.RxServerBytesReceived} B for {_rxRoundTrips + 1} round trips, in {_servers.RxServerSends} sends");
        _servers.Dispose();
        _servers = null;
    }

    [Benchmark(Baseline = true)]
    public void PlainSocketEcho()
    {
        EchoServers.RoundTrip(_servers!.PlainClient, _message, _reply);
        _plainRoundTrips++;
    }

    [Benchmark]
    public void RxNetEcho()
    {
        EchoServers.RoundTrip(_servers!.RxClient, _message, _reply);
        _rxRoundTrips++;
    }

    private void Check()
    {
        if (!_reply.AsSpan().SequenceEqual(_message))
            throw new InvalidOperationException("The echo differs from the message.");
        Array.Clear(_reply);
    }

    private sealed class Config : ManualConfig
    {
        public Config() =>
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance) // servers and measurement share one process
                .WithWarmupCount(3)
                .WithIterationCount(10)
                .WithId("InProcess"));
    }
}
