using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace RxNet.Benchmarks;

public static class Program
{
    /// <summary>The process BenchmarkDotNet was started in.</summary>
    public static int HostProcessId { get; } = Environment.ProcessId;

    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--alloc-check")
            return AllocationCheck.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
        if (args.Length > 0 && args[0] == "--connect-alloc")
            return ConnectionSetupAllocations.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
        if (args.Length > 0 && args[0] == "--http-alloc")
            return Http.HttpAllocationBreakdown.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
        if (args.Length > 0 && args[0] == "--http-hops")
            return Http.HttpThreadHops.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
        if (args.Length > 0 && args[0] == "--tls-idle")
            return TlsIdleMemory.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000);
        if (args.Length > 3 && args[0] == "--idle-clients")
            return TlsIdleMemory.Clients(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), args[3] == "plain" ? null : args[3]);
        // Results go under benchmarks/RxNet.Benchmarks/ (not the caller's directory); --artifacts overrides.
        var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(ProjectDirectory(), "BenchmarkDotNet.Artifacts"));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }

    private static string ProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RxNet.Benchmarks.csproj")))
                return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
