using System.Diagnostics;
using RxNet.Sockets.Specs.Interop;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Specs.Shared;
using Xunit;

namespace RxNet.Sockets.Specs.Udp;

/// <summary>
/// <c>nc</c> (netcat-openbsd, which .ci/run installs; where it is missing the spec is skipped) run as a real peer: lines for its standard input, and
/// waits, each bounded, for a line on its standard output or error or for its exit; a timeout says what was
/// awaited and shows what nc printed. Disposing it kills it by its process id if it still runs.
/// </summary>
internal sealed class NcProcess : IDisposable
{
    private readonly Process _process;
    private readonly OutputLines _stdout = new();
    private readonly OutputLines _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NcProcess(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Peers.Require("nc", "netcat-openbsd"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                _stdout.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                _stderr.Add(e.Data);
        };
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => _stdout.ToString();

    public string Errors => _stderr.ToString();

    public Task Exited => _exited.Task;

    public static NcProcess Start(params string[] arguments) => new(arguments);

    /// <summary>Writes <paramref name="line"/> and a newline to nc's standard input, flushed.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteAsync((line + "\n").AsMemory(), Bounded.Cancel);
        await _process.StandardInput.FlushAsync(Bounded.Cancel);
    }

    /// <summary>Completes once a line of standard output contains <paramref name="text"/>.</summary>
    public Task PrintedAsync(string text) => WaitAsync(_stdout, text);

    /// <summary>Completes once a line of standard error contains <paramref name="text"/>.</summary>
    public Task SaidAsync(string text) => WaitAsync(_stderr, text);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it exited meanwhile
        }
        _process.Dispose();
    }

    private async Task WaitAsync(OutputLines lines, string text)
    {
        try
        {
            await lines.FirstAsync(line => line.Contains(text, StringComparison.Ordinal)).Within();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out waiting for nc to print '{text}'. Standard output:\n{Output}\nStandard error:\n{Errors}", e);
        }
    }
}
