using System.Diagnostics;
using System.Globalization;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Specs.Shared;
using Xunit;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// An <c>openssl s_server</c> or <c>s_client</c> process: it collects what the peer prints (standard output and
/// error together, since openssl reports handshakes on both), writes to its standard input, and waits for a line or
/// the exit within bounds, a timeout saying what was awaited and showing the output so far. Disposing it kills it
/// (by its own process handle) if it still runs and deletes its working directory.
/// </summary>
internal sealed class OpenSslProcess : IDisposable
{
    private readonly Process _process;
    private readonly OutputLines _output = new(); // standard output and error together, as a terminal shows them

    private OpenSslProcess(string directory, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Peers.Require("openssl", "openssl"))
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        void OnLine(string? line)
        {
            if (line is not null)
                _output.Add(line);
        }
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the peer printed so far.</summary>
    public string Output => _output.ToString();

    /// <summary>Starts <c>openssl</c> with <paramref name="arguments"/> in <paramref name="directory"/>.</summary>
    public static OpenSslProcess Start(string directory, params string[] arguments) => new(directory, arguments);

    /// <summary>Starts <c>openssl s_server</c> on a port of 127.0.0.1 the system picks, with <paramref name="arguments"/>,
    /// and returns it with that port once it accepts.</summary>
    public static async Task<(OpenSslProcess Server, int Port)> StartServerAsync(string directory, params string[] arguments)
    {
        var server = Start(directory, ["s_server", "-accept", "127.0.0.1:0", "-naccept", "1", .. arguments]);
        try
        {
            string line = await server.LineAsync("ACCEPT ", Bounded.Short, "s_server to accept");
            return (server, int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="text"/> to the peer's standard input.</summary>
    public async Task WriteAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text.AsMemory(), Bounded.Cancel).Within();
        await _process.StandardInput.FlushAsync(Bounded.Cancel).Within();
    }

    /// <summary>Closes the peer's standard input.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>The first line printed that contains <paramref name="fragment"/>, waited for at most <paramref name="timeout"/>.</summary>
    public async Task<string> LineAsync(string fragment, TimeSpan? timeout = null, string? what = null)
    {
        var waiter = _output.FirstAsync(line => line.Contains(fragment, StringComparison.Ordinal));
        try
        {
            return await waiter.Within(timeout ?? Bounded.Short);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out waiting for {what ?? $"a line with '{fragment}'"}. openssl printed:\n{Output}", e);
        }
    }

    /// <summary>Waits at most <see cref="Bounded.Short"/> for the peer to exit.</summary>
    public async Task<int> ExitCodeAsync()
    {
        try
        {
            await _process.WaitForExitAsync(Bounded.Cancel).Within();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out waiting for openssl to exit. It printed:\n{Output}", e);
        }
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // it exited meanwhile
        }
        _process.Dispose();
    }
}

/// <summary>The interop specs with openssl run alone, as the Twisted ones do: a peer starved of CPU would turn their bounds into luck.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class OpenSslInteropRunsAlone
{
    public const string Collection = "OpenSSL interop";
}
