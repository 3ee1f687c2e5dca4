using System.Diagnostics;
using System.Globalization;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Specs.Shared;
using Xunit;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// A Python process running a Twisted script written into a temporary directory, with a python3 that can
/// import twisted: it collects what the script prints and writes to standard error, and waits for a line,
/// for <c>listening PORT</c> or for the exit within bounds, a timeout saying what was awaited and showing
/// the output so far. Disposing it kills it if it still runs and deletes the script.
/// </summary>
internal sealed class TwistedProcess : IDisposable
{
    private const string ListeningPrefix = "listening ";

    /// <summary>
    /// The Python that follows a peer script's <c>Peer</c> protocol (a Twisted <c>Protocol</c> class that stops the
    /// reactor when its connection is lost): a client factory of <c>Peer</c>, then, as the script's <c>role</c> is
    /// <c>server</c> or not, listening on 127.0.0.1 (printing <c>listening PORT</c>) or connecting to its
    /// <c>port</c> there, and running the reactor, for two minutes at the most. The script then exits with its verdict.
    /// </summary>
    /// <summary>The interop specs run alone, after the parallel ones: a Python peer starved of CPU by a
    /// 100 MiB echo next to it would turn their safety bounds into timing luck.</summary>
    public const string Collection = "Twisted interop";

    public const string ServeOrConnect = """
        class Factory(protocol.ClientFactory):
            protocol = Peer

            def clientConnectionFailed(self, connector, reason):
                print("failed", reason.getErrorMessage(), flush=True)
                reactor.stop()

        if role == "server":
            listening = reactor.listenTCP(0, Factory(), interface="127.0.0.1")
            print("listening", listening.getHost().port, flush=True)
        else:
            reactor.connectTCP("127.0.0.1", port, Factory())
        reactor.callLater(120, reactor.stop)  # a safety net should the spec runner vanish
        reactor.run()
        """;

    private static readonly Lazy<Task<string?>> PythonWithTwisted = new(FindPythonAsync);

    private readonly DirectoryInfo _directory;
    private readonly Process _process;
    private readonly OutputLines _stdout = new();
    private readonly OutputLines _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TwistedProcess(string python, string directoryPrefix, string fileName, string script, IEnumerable<string> arguments)
    {
        _directory = Directory.CreateTempSubdirectory(directoryPrefix);
        string path = Path.Combine(_directory.FullName, fileName);
        File.WriteAllText(path, script);
        var info = new ProcessStartInfo(python)
        {
            ArgumentList = { "-u", path },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                _stderr.Add(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the script printed so far.</summary>
    public string Output => _stdout.ToString();

    /// <summary>What the script wrote to standard error (a Python traceback, say).</summary>
    public string Errors => _stderr.ToString();

    /// <summary>Writes <paramref name="script"/> as <paramref name="fileName"/> into a new temporary directory
    /// named from <paramref name="directoryPrefix"/> and runs it with <paramref name="arguments"/>; fails the
    /// spec (or skips it, see <see cref="Peers"/>) when no python3 here can import twisted.</summary>
    public static async Task<TwistedProcess> StartAsync(string directoryPrefix, string fileName, string script, IEnumerable<string> arguments)
    {
        string? python = await PythonWithTwisted.Value.Within(Bounded.Long);
        if (python is null)
            throw Peers.Missing("no python3 here can import twisted", "python3-twisted");
        return new TwistedProcess(python, directoryPrefix, fileName, script, arguments);
    }

    /// <summary>The port from the script's <c>listening PORT</c> line, waited for at most <see cref="Bounded.Short"/>;
    /// a timeout says it waited for <paramref name="what"/> (by default, that line).</summary>
    public async Task<int> ListeningAsync(string? what = null) =>
        int.Parse((await LineAsync(ListeningPrefix, Bounded.Short, what))[ListeningPrefix.Length..], CultureInfo.InvariantCulture);

    /// <summary>The first line printed that starts with <paramref name="prefix"/>, waited for at most <paramref name="timeout"/>;
    /// a timeout says it waited for <paramref name="what"/> (by default, such a line).</summary>
    public Task<string> LineAsync(string prefix, TimeSpan timeout, string? what = null) =>
        Describe(_stdout.FirstAsync(line => line.StartsWith(prefix, StringComparison.Ordinal)).Within(timeout), what ?? $"a line starting with '{prefix}'");

    /// <summary>Waits at most <paramref name="timeout"/> for the script to exit, and as long again for all of its output to be read.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        await Describe(_process.WaitForExitAsync(Bounded.Cancel).Within(timeout), "the Twisted peer to exit");
        await _stdoutClosed.Task.Within(timeout);
        return _process.ExitCode;
    }

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
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a temporary directory left behind is harmless
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
            _stdoutClosed.TrySetResult();
        else
            _stdout.Add(line);
    }

    /// <summary>A timeout that says what was awaited and what the peer printed.</summary>
    private async Task<T> Describe<T>(Task<T> task, string what)
    {
        try
        {
            return await task;
        }
        catch (TimeoutException e)
        {
            throw Timeout(what, e);
        }
    }

    private async Task Describe(Task task, string what)
    {
        try
        {
            await task;
        }
        catch (TimeoutException e)
        {
            throw Timeout(what, e);
        }
    }

    private TimeoutException Timeout(string what, TimeoutException inner) =>
        new($"Timed out waiting for {what}. The peer printed:\n{Output}\nand wrote to stderr:\n{Errors}", inner);

    private static async Task<string?> FindPythonAsync()
    {
        foreach (string candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate) { ArgumentList = { "-c", "import twisted" }, RedirectStandardError = true, UseShellExecute = false });
                if (probe is null)
                    continue;
                await probe.StandardError.ReadToEndAsync();
                await probe.WaitForExitAsync().WaitAsync(Bounded.Long);
                if (probe.ExitCode == 0)
                    return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed under that name
            }
        }
        return null;
    }
}

/// <summary>The non-parallel collection of <see cref="TwistedProcess.Collection"/>.</summary>
[CollectionDefinition(TwistedProcess.Collection, DisableParallelization = true)]
public sealed class TwistedInteropRunsAlone;
