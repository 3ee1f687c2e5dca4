using System.Diagnostics;
using RxNet.Specs.Shared;

namespace Demos.Specs;

/// <summary>Debian's headless Chromium, started in a process group of its own with a temporary profile; the DevTools
/// address is read from its "DevTools listening on ws://..." line. Disposing kills the whole group by its id and removes
/// the profile.</summary>
internal sealed class Chromium : IDisposable
{
    private const int Sigkill = 9;
    private readonly Process _process;
    private readonly string _profile;
    private readonly TaskCompletionSource<Uri> _devTools = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();

    private Chromium(string chromium, string setsid)
    {
        _profile = Directory.CreateTempSubdirectory("rxnet-chromium-").FullName;
        // setsid: chromium leads a new process group (its renderers and zygote join it), so one kill ends them all.
        var info = new ProcessStartInfo(setsid)
        {
            ArgumentList =
            {
                chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--remote-debugging-port=0", $"--user-data-dir={_profile}", "about:blank",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = info };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _devTools.TrySetException(new InvalidOperationException($"Chromium ended without a DevTools address:\n{Errors}"));
                return;
            }
            lock (_stderr)
                _stderr.AppendLine(e.Data);
            const string Prefix = "DevTools listening on ";
            int at = e.Data.IndexOf(Prefix, StringComparison.Ordinal);
            if (at >= 0)
                _devTools.TrySetResult(new Uri(e.Data[(at + Prefix.Length)..].Trim()));
        };
        _process.OutputDataReceived += (_, _) => { };
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>Starts Chromium; the spec is skipped (failed under RXNET_REQUIRE_PEERS=1) where it is not installed.</summary>
    public static Chromium Start() => new(Peers.Require("chromium", "chromium"), Peers.Require("setsid", "util-linux"));

    public string Errors
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    /// <summary>The browser's DevTools WebSocket (ws://127.0.0.1:PORT/devtools/browser/ID), once it listens.</summary>
    public Task<Uri> DevTools(TimeSpan timeout) => _devTools.Task.WaitAsync(timeout);

    public void Dispose()
    {
        _ = Kill(-_process.Id, Sigkill); // the group: the browser and every child it started
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A child still writing as it dies: the next attempt would succeed, the temp folder is swept anyway.
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
