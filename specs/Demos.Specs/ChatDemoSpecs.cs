using System.Globalization;
using Xunit;

namespace Demos.Specs;

/// <summary>The chat demo, run as a user runs it, with <c>nc</c> as the clients. Each step waits for what
/// it needs to see (bounded), never for time to pass.</summary>
[Trait("Category", "Integration")]
public sealed class ChatDemoSpecs
{
    private const int Sigterm = 15;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Chat_ThreeNcClients_PickNamesTalkAndLeave()
    {
        using var server = DemoProcess.Demo("Chat", "--listen", "tcp:0:interface=127.0.0.1");
        int port = await server.Listening(Timeout);

        using var alice = await JoinAsync(port, "alice");
        await alice.Printed("Welcome, alice! You are the first one here.", Timeout);
        using var bob = await JoinAsync(port, "bob");
        await bob.Printed("Welcome, bob! Here: alice.", Timeout);
        await alice.Printed("* bob has joined", Timeout);
        using var carol = await JoinAsync(port, "Alice");
        await carol.Printed("Name taken, please choose another.", Timeout);
        await SayAsync(carol, "carol");
        await carol.Printed("Welcome, carol! Here: alice, bob.", Timeout);

        await SayAsync(alice, "hello, é world");
        await bob.Printed("<alice> hello, é world", Timeout);
        await carol.Printed("<alice> hello, é world", Timeout);

        await SayAsync(bob, "/quit");
        await bob.Printed("Bye!", Timeout);
        bob.Input.Close();
        Assert.Equal(0, await bob.ExitCode(Timeout));
        await alice.Printed("* bob has left (quit)", Timeout);
        await carol.Printed("* bob has left (quit)", Timeout);

        alice.Input.Close(); // nc -N: FIN after stdin ends, as a user's Ctrl+D
        Assert.Equal(0, await alice.ExitCode(Timeout));
        await carol.Printed("* alice has left (connection closed)", Timeout);
        carol.Input.Close();
        Assert.Equal(0, await carol.ExitCode(Timeout));

        Assert.DoesNotContain("<alice>", alice.Output, StringComparison.Ordinal); // nobody hears themselves
        server.Signal(Sigterm);
        Assert.Equal(0, await server.ExitCode(Timeout));
        Assert.Contains("alice joined from 127.0.0.1:", server.Output, StringComparison.Ordinal);
        Assert.Contains("bob left: quit", server.Output, StringComparison.Ordinal);
        Assert.Contains("alice left: connection closed", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_BadInput_ThatClientGetsAClearErrorAndTheServerServesTheOthers()
    {
        using var server = DemoProcess.Demo("Chat", "--listen", "tcp:0:interface=127.0.0.1", "--max-line", "100");
        int port = await server.Listening(Timeout);
        using var alice = await JoinAsync(port, "alice");
        await alice.Printed("Welcome, alice!", Timeout); // before bob connects, so the order of the names is known
        using var bob = await JoinAsync(port, "bob");
        await alice.Printed("* bob has joined", Timeout);

        await bob.Input.BaseStream.WriteAsync(new byte[] { 0x62, 0xFF, 0x0A }, TestContext.Current.CancellationToken); // "b", a byte never valid in UTF-8
        await bob.Input.BaseStream.FlushAsync(TestContext.Current.CancellationToken);
        await bob.Printed("! That line is not valid UTF-8; nobody saw it.", Timeout);
        await SayAsync(bob, new string('x', 101));
        await bob.Printed("! A line of ", Timeout);
        await alice.Printed("* bob has left (line too long)", Timeout);
        bob.Input.Close();
        Assert.Equal(0, await bob.ExitCode(Timeout));

        using var carol = await JoinAsync(port, "carol");
        await carol.Printed("Welcome, carol! Here: alice.", Timeout);
        await SayAsync(alice, "still here");
        await carol.Printed("<alice> still here", Timeout);

        Assert.Matches(@"! A line of \d+ bytes or more is above the limit of 100 bytes\. Goodbye\.", bob.Output);
        Assert.DoesNotContain("<bob>", alice.Output, StringComparison.Ordinal);
        Assert.Contains("bob sent a line above the limit", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_BarePortArgument_ListensThere()
    {
        // As for the echo server: a port free when we look may be taken before the chat binds it; a bind
        // failure is told apart and retried with another port, so luck cannot fail this.
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int free;
            using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
            {
                probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
                free = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
            }
            using var server = DemoProcess.Demo("Chat", free.ToString(CultureInfo.InvariantCulture));
            var listening = server.Listening(Timeout);
            var exited = server.ExitCode(Timeout);
            if (await Task.WhenAny(listening, exited) == listening)
            {
                Assert.Equal(free, await listening);
                server.Signal(Sigterm);
                Assert.Equal(0, await server.ExitCode(Timeout));
                return;
            }
            Assert.Contains("Cannot listen", server.Errors, StringComparison.Ordinal);
        }
        Assert.Fail("five free ports in a row were taken before the chat could bind them");
    }

    [Fact]
    public async Task Chat_BadEndpoint_ExitsWithMessagePointingAtIt()
    {
        using var server = DemoProcess.Demo("Chat", "--listen", "tcp:80000");

        Assert.Equal(1, await server.ExitCode(Timeout));
        Assert.Contains("80000", server.Errors, StringComparison.Ordinal);
    }

    /// <summary>Connects an <c>nc -N</c>, waits for the name prompt and answers it.</summary>
    internal static async Task<DemoProcess> JoinAsync(int port, string name)
    {
        var nc = DemoProcess.Tool("nc", "netcat-openbsd", "-N", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        try
        {
            await nc.Printed("What's your name?", Timeout);
            await SayAsync(nc, name);
            return nc;
        }
        catch
        {
            nc.Dispose();
            throw;
        }
    }

    internal static async Task SayAsync(DemoProcess nc, string line)
    {
        await nc.Input.WriteAsync(line + "\n");
        await nc.Input.FlushAsync();
    }
}
