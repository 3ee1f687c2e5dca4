using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RxNet.Load;

/// <summary>A server under test, started by the driver on a free loopback port and killed (with its
/// children) when disposed.</summary>
/// <remarks>The process started is the one measured: give a command that runs the server itself
/// (<c>dotnet Server.dll</c>, <c>env VAR=1 ./server</c>), not a shell that forks it.</remarks>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process? _process;

    private ServerProcess(Process? process, int port, int pid)
    {
        _process = process;
        Port = port;
        Pid = pid;
    }

    /// <summary>The port it listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Its process id, for <see cref="ProcessStats"/>.</summary>
    public int Pid { get; }

    /// <summary>Starts <paramref name="spec"/> on a free port and waits until the port accepts a connection.</summary>
    /// <param name="spec">The server.</param>
    /// <param name="pin">Whether to start it on <see cref="CpuPinning.ServerCpu"/> only.</param>
    /// <exception cref="InvalidOperationException">The server exited or did not accept within
    /// <see cref="Timing.StepBound"/>.</exception>
    public static async Task<ServerProcess> StartAsync(ServerSpec spec, bool pin)
    {
        if (spec.Attached is var (attachedPort, pid))
            return new ServerProcess(null, attachedPort, pid);
        var port = FreePort();
        var words = (pin ? CpuPinning.ServerPrefix : []).Concat(spec.Command.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var info = new ProcessStartInfo(words[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,   // a server that reads stdin sees no terminal
            UseShellExecute = false,
        };
        foreach (var word in words[1..])
            info.ArgumentList.Add(word);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {spec.Command}.");
        // Read and drop its output, so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, port, process.Id);
        try
        {
            await server.WaitForPortAsync(spec);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Kills the server and everything it started (an attached server is left running).</summary>
    public void Dispose()
    {
        if (_process is null)
            return;
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private async Task WaitForPortAsync(ServerSpec spec)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Timing.StepBound)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"{spec.Name}: '{spec.Command}' exited with {_process.ExitCode} before listening on {Port}.");
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port));
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"{spec.Name}: nothing accepted on 127.0.0.1:{Port} within {Timing.StepBound.TotalSeconds} s of starting '{spec.Command}'.");
    }

    /// <summary>A port the kernel says is free now on 127.0.0.1 (bound to port 0, read, released).</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
