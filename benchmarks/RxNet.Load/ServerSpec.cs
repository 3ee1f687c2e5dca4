using System.Globalization;
using System.Text.RegularExpressions;

namespace RxNet.Load;

/// <summary>A server under test: a name for the report and a command line with <c>{port}</c> where the
/// port goes, or a server already running that the driver only attaches to.</summary>
/// <param name="Name">The name printed in every line of the report.</param>
/// <param name="Command">The program and its arguments; <c>{port}</c> is replaced by a free loopback port.
/// Empty when attached.</param>
internal sealed partial record ServerSpec(string Name, string Command)
{
    /// <summary>For <c>attach:PORT:PID</c>: the port of a server the driver neither starts nor stops (for
    /// example behind a relay), and the process whose CPU and memory are measured.</summary>
    public (int Port, int Pid)? Attached { get; init; }

    /// <summary>The built-in servers, run from their Release builds in this repository (building the driver
    /// builds them): <c>rxnet</c> (demos/EchoServer, the Rx-style echo on the Generic Host), <c>baseline</c>
    /// (benchmarks/BaselineEcho, a 16 KiB buffer per connection) and <c>baseline-zb</c> (the same with
    /// zero-byte reads, RxNet's read strategy); over HTTP <c>rxnet-http</c> (demos/HttpServer, handlers on
    /// RxNet's HTTP server), <c>rxnet-http-twisted</c> (the same routes through its twisted.web-style Resource
    /// layer), <c>kestrel</c> (benchmarks/BaselineHttp, ASP.NET Core's minimal APIs) and <c>twisted-web</c>
    /// (benchmarks/BaselineHttp/twisted_web.py under Debian's <c>/usr/bin/python3</c> with python3-twisted); over
    /// WebSocket <c>rxnet-ws</c> (benchmarks/WebSocketEcho, RxNet's server echoing on <c>/ws</c>) and <c>kestrel-ws</c>
    /// (benchmarks/BaselineWebSocket, ASP.NET Core's WebSocket middleware).</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["rxnet", "baseline", "baseline-zb", "rxnet-http", "rxnet-http-twisted", "kestrel", "twisted-web", "rxnet-ws", "kestrel-ws"];

    /// <summary>Parses <c>NAME=cmd:COMMAND</c>, <c>cmd:COMMAND</c> (named <c>cmd</c>), <c>NAME=attach:PORT:PID</c>
    /// or a preset's name.</summary>
    /// <exception cref="FormatException">None of these.</exception>
    public static ServerSpec Parse(string text)
    {
        if (Attach().Match(text) is { Success: true } attach)
        {
            return new ServerSpec(attach.Groups["name"].Value, "") with
            {
                Attached = (int.Parse(attach.Groups["port"].Value, CultureInfo.InvariantCulture), int.Parse(attach.Groups["pid"].Value, CultureInfo.InvariantCulture)),
            };
        }
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var colon = text.IndexOf("cmd:", StringComparison.Ordinal);
        var name = equals > 0 && (colon < 0 || equals < colon) ? text[..equals] : null;
        var rest = name is null ? text : text[(equals + 1)..];
        if (rest.StartsWith("cmd:", StringComparison.Ordinal))
        {
            var command = rest["cmd:".Length..].Trim();
            if (!command.Contains("{port}", StringComparison.Ordinal))
                throw new FormatException($"'{text}': the command must say where the port goes with {{port}}.");
            return new ServerSpec(name ?? "cmd", command);
        }
        return Preset(rest) is { } preset ? preset with { Name = name ?? preset.Name }
            : throw new FormatException($"'{text}' is neither NAME=cmd:COMMAND, NAME=attach:PORT:PID nor one of {string.Join(", ", PresetNames)}.");
    }

    private static ServerSpec? Preset(string name)
    {
        var repository = Repository();
        string Dll(string folder, string project) => Path.Combine(repository, folder, project, "bin", "Release", "net10.0", project + ".dll");
        return name switch
        {
            "rxnet" => new(name, $"dotnet {Dll("demos", "EchoServer")} --listen tcp:{{port}}:interface=127.0.0.1 --drain 0"),
            "baseline" => new(name, $"dotnet {Dll("benchmarks", "BaselineEcho")} {{port}}"),
            "baseline-zb" => new(name, $"dotnet {Dll("benchmarks", "BaselineEcho")} {{port}} --zero-byte"),
            "rxnet-http" => new(name, $"dotnet {Dll("demos", "HttpServer")} --listen tcp:{{port}}:interface=127.0.0.1 --drain 0"),
            "rxnet-http-twisted" => new(name, $"dotnet {Dll("demos", "HttpServer")} --listen tcp:{{port}}:interface=127.0.0.1 --drain 0 --style twisted"),
            "kestrel" => new(name, $"dotnet {Dll("benchmarks", "BaselineHttp")} {{port}}"),
            "rxnet-ws" => new(name, $"dotnet {Dll("benchmarks", "WebSocketEcho")} {{port}}"),
            "kestrel-ws" => new(name, $"dotnet {Dll("benchmarks", "BaselineWebSocket")} {{port}}"),
            "twisted-web" => new(name, $"/usr/bin/python3 {Path.Combine(repository, "benchmarks", "BaselineHttp", "twisted_web.py")} {{port}}"),
            _ => null,
        };
    }

    // The clone this driver was built in: the folder with RxNet.sln above its binaries.
    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RxNet.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No RxNet.sln above {AppContext.BaseDirectory}: give the server as NAME=cmd:COMMAND.");
    }

    [GeneratedRegex(@"^(?<name>[^=]+)=attach:(?<port>\d+):(?<pid>\d+)$")]
    private static partial Regex Attach();
}
