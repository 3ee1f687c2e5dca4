using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Net.Sockets;

namespace RxNet.Benchmarks;

/// <summary>
/// A cross-check of the benchmarks' Allocated column without BenchmarkDotNet: runs many round
/// trips against each server and divides the process-wide allocation counter by their number;
/// then, in a separate pass (the listener allocates too), samples which types were allocated
/// using the runtime's GC AllocationTick events (one event per ~100 KB allocated).
/// </summary>
internal static class AllocationCheck
{
    public static int Run(int roundTrips)
    {
        using var servers = EchoServers.Start();
        int[] sizes = [64, 4096];
        foreach (int size in sizes)
        {
            var message = new byte[size];
            var reply = new byte[size];
            Measure("PlainSocketEcho", servers.PlainClient, message, reply, roundTrips);
            Measure("RxNetEcho", servers.RxClient, message, reply, roundTrips);
        }
        Console.WriteLine($"RxNet server: {servers.RxServerBytesReceived} B received, {servers.RxServerSends} sends");

        Console.WriteLine("Sampled allocations (GC AllocationTick) while echoing:");
        foreach (int size in sizes)
        {
            var message = new byte[size];
            var reply = new byte[size];
            Sample("PlainSocketEcho", servers.PlainClient, message, reply, roundTrips);
            Sample("RxNetEcho", servers.RxClient, message, reply, roundTrips);
        }
        return 0;
    }

    private static void Measure(string name, Socket client, byte[] message, byte[] reply, int roundTrips)
    {
        for (int i = 0; i < roundTrips / 10; i++) // warm up: JIT, tiering, thread pool, slabs
            EchoServers.RoundTrip(client, message, reply);
        GC.Collect();
        int gen0 = GC.CollectionCount(0);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < roundTrips; i++)
            EchoServers.RoundTrip(client, message, reply);
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine($"{name,-16} {message.Length,5} B: {clock.Elapsed.TotalMicroseconds / roundTrips,7:0.00} us/op, "
                          + $"{(double)allocated / roundTrips,9:0.0} B allocated/op, {GC.CollectionCount(0) - gen0} gen0 GCs");
    }

    private static void Sample(string name, Socket client, byte[] message, byte[] reply, int roundTrips)
    {
        using var listener = new AllocationTickListener();
        for (int i = 0; i < roundTrips; i++)
            EchoServers.RoundTrip(client, message, reply);
        var top = listener.Snapshot();
        string summary = top.Count == 0 ? "no samples" : string.Join(", ", top.Select(t => $"{t.Type} x{t.Count}"));
        Console.WriteLine($"  {name,-16} {message.Length,5} B, {roundTrips} round trips: {summary}");
    }

    private sealed class AllocationTickListener : EventListener
    {
        private const EventKeywords GcKeyword = (EventKeywords)0x1;
        private readonly Dictionary<string, int> _counts = [];
        private readonly Lock _lock = new();

        public List<(string Type, int Count)> Snapshot()
        {
            lock (_lock)
                return [.. _counts.OrderByDescending(p => p.Value).Take(6).Select(p => (p.Key, p.Value))];
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
                return;
            int index = eventData.PayloadNames.IndexOf("TypeName");
            string type = index >= 0 ? eventData.Payload?[index] as string ?? "?" : "?";
            lock (_lock)
                _counts[type] = _counts.GetValueOrDefault(type) + 1;
        }
    }
}
