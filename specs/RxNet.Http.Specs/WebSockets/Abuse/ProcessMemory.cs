namespace RxNet.Http.Specs.WebSockets.Abuse;

/// <summary>What this process holds, measured honestly: resident anonymous memory (managed heap and native buffers
/// alike, from <c>/proc/self/status</c>), bytes ever allocated on the managed heap, bytes of live objects after a full
/// collection, and open file descriptors.</summary>
internal readonly record struct ProcessMemory(long ResidentAnonymous, long Allocated, long Live, int FileDescriptors)
{
    /// <summary>Collects garbage fully (finalizers included), then reads the three figures.</summary>
    public static ProcessMemory Settled()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return new ProcessMemory(RssAnon(), GC.GetTotalAllocatedBytes(precise: true), GC.GetTotalMemory(forceFullCollection: false), Directory.GetFileSystemEntries("/proc/self/fd").Length);
    }

    /// <summary>Waits, bounded by 10 seconds, until at most <paramref name="expected"/> descriptors are open, and returns the
    /// last count: a socket's descriptor may close on another thread just after the event that announces its end.</summary>
    public static async Task<int> WaitForFileDescriptorsAsync(int expected)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            int count = Directory.GetFileSystemEntries("/proc/self/fd").Length;
            if (count <= expected || deadline.IsCancellationRequested || TestContext.Current.CancellationToken.IsCancellationRequested)
                return count;
            await Task.Yield();
        }
    }

    private static long RssAnon()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                return long.Parse(line["RssAnon:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("/proc/self/status has no RssAnon line.");
    }
}
