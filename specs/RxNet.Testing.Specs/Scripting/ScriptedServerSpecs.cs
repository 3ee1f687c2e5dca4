using System.Net;
using System.Text;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Testing.Specs.Scripting;

/// <summary>
/// A scripted server: every connection a listening endpoint accepts plays the script, so a client protocol
/// is tested against a conversation written down in the spec.
/// </summary>
public sealed class ScriptedServerSpecs
{
    private readonly TestScheduler _scheduler = new();

    private static readonly PeerScript MailServer = Script
        .Send("220 ready\r\n")
        .Expect("HELO me\r\n").Send("250 ok\r\n")
        .Expect("QUIT\r\n").Send("221 bye\r\n").Close()
        .ExpectClose();

    [Fact]
    public void Serve_TwoClientsFollowTheConversation_EveryRunCompletes()
    {
        var network = new SimulatedNetwork(_scheduler, seed: 4);
        network.Link("client", "mail", new LinkOptions { Latency = TimeSpan.FromMilliseconds(20), MaxSegmentSize = 2 });
        using var server = MailServer.Serve(network.Host("mail").Reactor, "tcp:25");
        var closed = new List<ConnectionCloseReason>();
        var client = network.Host("client").Reactor.ClientEndpoint("tcp:mail:25");

        for (int i = 0; i < 2; i++)
            client.Connect().Subscribe(c =>
            {
                GreetingClient.Start(c);
                c.Closed.Subscribe(x => closed.Add(x.Reason));
            });
        _scheduler.Start();

        server.Verify();
        Assert.Equal(2, server.Runs.Count);
        Assert.All(server.Runs, run => Assert.True(run.IsCompleted));
        Assert.Equal(new DnsEndPoint("mail", 25), server.LocalEndPoint);
        Assert.Equal([ConnectionCloseReason.PeerClose, ConnectionCloseReason.PeerClose], closed);
    }

    [Fact]
    public void Serve_ClientSendsTheWrongCommand_VerifyThrowsTheMismatchAndTheClientIsReset()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var server = MailServer.Serve(network.Host("mail").Reactor, "tcp:25");
        ConnectionClosed? closed = null;

        network.Host("client").Reactor.ClientEndpoint("tcp:mail:25").Connect().Subscribe(c =>
        {
            GreetingClient.Start(c, hello: "EHLO me\r\n");
            c.Closed.Subscribe(x => closed = x);
        });
        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(server.Verify);
        Assert.Equal(ScriptMismatchKind.DifferentBytes, error.Kind);
        Assert.Equal(2, error.Step);
        Assert.Equal(0, error.Offset);
        Assert.Equal(ConnectionCloseReason.Reset, closed?.Reason);
    }

    [Fact]
    public void Verify_NobodyConnected_ThrowsUnfinishedNamingTheAddress()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var server = MailServer.Serve(network.Host("mail").Reactor, "tcp:25");

        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(server.Verify);
        Assert.Equal(ScriptMismatchKind.Unfinished, error.Kind);
        Assert.Contains("Nobody connected to the scripted server at mail:25", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_PortInUse_ThrowsIOExceptionAtOnce()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var first = MailServer.Serve(network.Host("mail").Reactor, "tcp:25");

        Assert.Throws<IOException>(() => MailServer.Serve(network.Host("mail").Reactor, "tcp:25"));
    }

    [Fact]
    public void Dispose_StopsListeningAndAbortsTheConnections()
    {
        var network = new SimulatedNetwork(_scheduler);
        var server = MailServer.Serve(network.Host("mail").Reactor, "tcp:25");
        var endpoint = network.Host("client").Reactor.ClientEndpoint("tcp:mail:25");
        IConnection? client = null;
        endpoint.Connect().Subscribe(c => client = c);
        _scheduler.AdvanceTo(TimeSpan.FromMilliseconds(1).Ticks); // connected: the script's greeting is queued
        var input = client!.Input.RecordText(_scheduler);
        Exception? connectError = null;

        server.Dispose();
        endpoint.Connect().Subscribe(_ => { }, e => connectError = e);
        _scheduler.Start();

        Assert.IsType<ConnectionResetException>(Assert.Single(input.Messages).Value.Exception); // the greeting was dropped
        Assert.IsType<ConnectionRefusedException>(connectError);
        Assert.Single(server.Runs);
    }

    /// <summary>The client protocol under test: answers the greeting with HELO, the 250 with QUIT, and closes
    /// when the server does.</summary>
    private static class GreetingClient
    {
        public static void Start(IConnection connection, string hello = "HELO me\r\n")
        {
            var pending = new StringBuilder();
            connection.Input.Subscribe(chunk =>
            {
                pending.Append(Encoding.ASCII.GetString(chunk.Span));
                string text = pending.ToString();
                int end;
                while ((end = text.IndexOf("\r\n", StringComparison.Ordinal)) >= 0)
                {
                    string line = text[..end];
                    text = text[(end + 2)..];
                    if (line.StartsWith("220", StringComparison.Ordinal))
                        connection.Output.OnNext(Encoding.ASCII.GetBytes(hello));
                    else if (line.StartsWith("250", StringComparison.Ordinal))
                        connection.Output.OnNext("QUIT\r\n"u8.ToArray());
                }
                pending.Clear().Append(text);
            }, _ => { }, connection.Output.OnCompleted);
        }
    }
}
