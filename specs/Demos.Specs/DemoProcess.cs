using System.Diagnostics;
using RxNet.Specs.Shared;

namespace Demos.Specs;

/// <summary>A demo program or a real peer (nc) run as a child process, with its output captured.</summary>
internal sealed class DemoProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stdout = new();
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, TaskCompletionSource<string> Seen)> _waiters = [];

    private DemoProcess(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _stdoutClosed.TrySetResult();
                return;
            }
            List<TaskCompletionSource<string>> seen = [];
            lock (_stdout)
            {
                _stdout.AppendLine(e.Data);
                for (int i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (e.Data.Contains(_waiters[i].Text, StringComparison.Ordinal))
                    {
                        seen.Add(_waiters[i].Seen);
                        _waiters.RemoveAt(i);
                    }
                }
            }
            foreach (var waiter in seen)
                waiter.TrySetResult(e.Data);
            if (e.Data.StartsWith("listening ", StringComparison.Ordinal)
                && int.TryParse(e.Data["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture, out int port))
                _listening.TrySetResult(port); // a socket path is awaited with Printed instead
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (_stderr)
                    _stderr.AppendLine(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static DemoProcess Demo(string name, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, name + ".dll") } };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        return new DemoProcess(info);
    }

    /// <summary>Starts a real peer, <paramref name="file"/> from the Debian <paramref name="package"/>; the spec is skipped
    /// where it is not installed (failed under <c>RXNET_REQUIRE_PEERS=1</c>).</summary>
    public static DemoProcess Tool(string file, string package, params string[] args)
    {
        var info = new ProcessStartInfo(Peers.Require(file, package));
        foreach (var a in args)
            info.ArgumentList.Add(a);
        return new DemoProcess(info);
    }

    public int Id => _process.Id;

    public StreamWriter Input => _process.StandardInput;

    public string Output
    {
        get
        {
            lock (_stdout)
                return _stdout.ToString();
        }
    }

    public string Errors
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    /// <summary>The port from the program's "listening PORT" line.</summary>
    public Task<int> Listening(TimeSpan timeout) => _listening.Task.WaitAsync(timeout);

    /// <summary>Completes with the first line of the program's output that contains <paramref name="text"/> (at once
    /// if one already did); a timeout says what was awaited and shows the output so far.</summary>
    public async Task<string> Printed(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stdout)
        {
            if (_stdout.ToString().Split('\n').FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)) is { } line)
                seen.SetResult(line.TrimEnd('\r'));
            else
                _waiters.Add((text, seen));
        }
        try
        {
            return await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out waiting for a line with '{text}'. Printed so far:\n{Output}\nStandard error:\n{Errors}", e);
        }
    }

    /// <summary>Waits for the process to exit and for all of its output to be read.</summary>
    public async Task<int> ExitCode(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        await _stdoutClosed.Task.WaitAsync(timeout);
        return _process.ExitCode;
    }

    public void Signal(int signal) => _ = Kill(_process.Id, signal);

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
