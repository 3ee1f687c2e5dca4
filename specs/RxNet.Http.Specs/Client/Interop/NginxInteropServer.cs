using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using RxNet.Http.Specs.Server;
using RxNet.Specs.Shared;

namespace RxNet.Http.Specs.Client.Interop;

/// <summary>
/// nginx (the Debian package) started on a free 127.0.0.1 port with its own configuration, files and temporary folders
/// under a fresh directory, in the foreground (no daemon, no master process) so that disposing kills it by its id and
/// deletes the directory. Static files answer <see cref="InteropRoutes"/>: SSI makes <c>/chunked</c> chunked, gzip is
/// on, keep-alive is nginx's own; <c>/close</c> ends its connection after the
/// response (with <c>Connection: close</c>: a silent close after a timeout would race the next request). Connections are counted by
/// stub_status. It has no <see cref="InteropRoutes.Reset"/>: nginx resets nothing of its own accord.
/// </summary>
internal sealed partial class NginxInteropServer : IInteropServer
{
    private const string Config = """
        daemon off;
        master_process off;
        worker_processes 1;
        pid nginx.pid;
        error_log error.log warn;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path temp/body;
            proxy_temp_path temp/proxy;
            fastcgi_temp_path temp/fastcgi;
            uwsgi_temp_path temp/uwsgi;
            scgi_temp_path temp/scgi;
            default_type text/plain;
            keepalive_timeout 60s;
            server {
                listen 127.0.0.1:PORT;
                root ROOT/files;
                add_header X-Connection $connection always;
                location = /length { }
                location = /etag { }
                location = /chunked { ssi on; ssi_types text/plain; }
                location = /empty { return 204; }
                location = /redirect { return 301 /length; }
                location = /gzip { gzip on; gzip_types text/plain; gzip_min_length 1; }
                location = /close { keepalive_requests 1; }
                location = /status { stub_status; }
            }
        }
        """;

    private readonly Process _process;
    private readonly string _root;
    private readonly int _baseline;

    private NginxInteropServer(Process process, string root, int port, int baseline) =>
        (_process, _root, Port, _baseline) = (process, root, port, baseline);

    public string Name => "nginx";

    public int Port { get; }

    public static async Task<NginxInteropServer> StartAsync()
    {
        string nginx = Peers.Find("nginx") ?? Peers.Find("/usr/sbin/nginx") ?? throw Peers.Missing("nginx is not installed", "nginx");
        string root = Directory.CreateTempSubdirectory("rxnet-nginx-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "temp"));
            Directory.CreateDirectory(Path.Combine(root, "files"));
            foreach (string file in new[] { "length", "etag", "chunked", "gzip", "close" })
                await File.WriteAllBytesAsync(Path.Combine(root, "files", file), InteropRoutes.Body, TestContext.Current.CancellationToken);
            // A port the kernel just handed out and took back: another process could take it first, so a failed
            // start tries another one.
            for (int attempt = 1; ; attempt++)
            {
                int port = FreePort();
                await File.WriteAllTextAsync(Path.Combine(root, "nginx.conf"),
                    Config.Replace("PORT", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("ROOT", root, StringComparison.Ordinal),
                    TestContext.Current.CancellationToken);
                var info = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
                foreach (string argument in new[] { "-p", root + "/", "-c", "nginx.conf", "-e", "error.log" })
                    info.ArgumentList.Add(argument);
                string pidFile = Path.Combine(root, "nginx.pid");
                File.Delete(pidFile);
                using var pidWatch = new FileSystemWatcher(root, "nginx.pid") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
                var pidWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                pidWatch.Created += (_, _) => pidWritten.TrySetResult();
                pidWatch.Changed += (_, _) => pidWritten.TrySetResult();
                pidWatch.EnableRaisingEvents = true;
                var process = Process.Start(info)!;
                process.BeginErrorReadLine();
                process.BeginOutputReadLine();
                if (await ListeningAsync(process, port, pidFile, pidWritten.Task))
                {
                    var server = new NginxInteropServer(process, root, port, 0);
                    return new NginxInteropServer(process, root, port, await server.AcceptsAsync());
                }
                process.Dispose();
                if (attempt == 3)
                    throw new InvalidOperationException($"nginx did not start: {await File.ReadAllTextAsync(Path.Combine(root, "error.log"))}");
            }
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    public async Task<int> ConnectionsAcceptedAsync() => await AcceptsAsync() - _baseline - 1;

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.WaitForExit(10_000);
        _process.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>stub_status's "accepts", the connection that asks included.</summary>
    private async Task<int> AcceptsAsync()
    {
        using var client = new HttpClient();
        string status = await client.GetStringAsync(this.Url("/status"), TestContext.Current.CancellationToken);
        return int.Parse(AcceptsHandledRequests().Match(status).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Whether nginx accepts on <paramref name="port"/>. nginx writes its pid file only after its
    /// configuration is read and its listening sockets are bound (a failed bind ends the process instead), so the wait
    /// is for that file or the process's end, bounded; one probe then checks the port.</summary>
    private static async Task<bool> ListeningAsync(Process process, int port, string pidFile, Task pidWritten)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(PeerRun.Bound);
        if (!File.Exists(pidFile)) // written before the watcher saw it, or not yet
            await Task.WhenAny(pidWritten, process.WaitForExitAsync(bound.Token)).WaitAsync(bound.Token);
        if (process.HasExited)
            return false;
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), bound.Token);
            return true;
        }
        catch (SocketException)
        {
            return false; // another process took the port: the caller tries another one
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [GeneratedRegex(@"server accepts handled requests\s+(\d+)")]
    private static partial Regex AcceptsHandledRequests();
}
