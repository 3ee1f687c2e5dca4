using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace RxNet.Hosting.Specs;

/// <summary>Helpers of the hosting specs: a Generic Host with fake logging, and bounded waits.</summary>
internal static class HostedEcho
{
    /// <summary>Every wait of these specs ends within this.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>An echo server's handler.</summary>
    public static void Echo(IConnection connection) => connection.Input.Subscribe(connection.Output);

    /// <summary>A Generic Host builder as a console app makes it, logging to a <see cref="FakeLogCollector"/>.</summary>
    public static HostApplicationBuilder Builder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddFakeLogging();
        return builder;
    }

    /// <summary>The one <see cref="RxNetServer"/> of a host.</summary>
    public static RxNetServer Server(this IHost host) => host.Services.GetRequiredService<RxNetServer>();

    /// <summary>The port a started server bound.</summary>
    public static int Port(this RxNetServer server) =>
        ((IPEndPoint)(server.BoundEndPoint ?? throw new InvalidOperationException($"{server.Name} is not listening"))).Port;

    /// <summary>A real TCP client connected to 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port, Timeout());
        return client;
    }

    /// <summary>Sends <paramref name="text"/> and reads exactly as many bytes back.</summary>
    public static async Task<string> RoundTripAsync(this TcpClient client, string text)
    {
        var stream = client.GetStream();
        byte[] sent = System.Text.Encoding.UTF8.GetBytes(text);
        await stream.WriteAsync(sent, Timeout());
        byte[] back = new byte[sent.Length];
        await stream.ReadExactlyAsync(back, Timeout());
        return System.Text.Encoding.UTF8.GetString(back);
    }

    /// <summary>A token cancelled after <see cref="Bound"/>, or with the spec.</summary>
    public static CancellationToken Timeout()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(Xunit.TestContext.Current.CancellationToken);
        source.CancelAfter(Bound);
        return source.Token;
    }
}
