using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Demos.Specs;

/// <summary>The demos' WebSockets over loopback: demos/HttpServer's <c>/ws</c> echo against .NET's
/// <see cref="ClientWebSocket"/>, and demos/Chat's browser door driven in headless Chromium through the DevTools
/// protocol beside an <c>nc</c> user. Every wait is for something to be seen (a message, a line, the page's DOM),
/// bounded by a timeout, never for time to pass.</summary>
[Trait("Category", "Integration")]
public sealed class WebSocketDemoSpecs
{
    private static readonly TimeSpan Timeout = EchoDrainSpecs.Timeout;

    [Theory]
    [InlineData("rx")]
    [InlineData("twisted")]
    public async Task HttpServerWs_TextBinaryAndLargeMessages_ComeBackWithTheirTypeAndBytes(string style)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var server = DemoProcess.Demo("HttpServer", "--listen", "tcp:0:interface=127.0.0.1", "--style", style);
        int port = await server.Listening(Timeout);
        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/ws"), cancel.Token);
        byte[] large = RandomNumberGenerator.GetBytes(300 * 1024); // fragmented both ways (64 KiB frames from the server)

        foreach (var (type, data) in new[]
        {
            (WebSocketMessageType.Text, Encoding.UTF8.GetBytes("hello, é world")),
            (WebSocketMessageType.Binary, new byte[] { 0, 1, 2, 0xFF }),
            (WebSocketMessageType.Text, Array.Empty<byte>()),
            (WebSocketMessageType.Binary, large),
        })
        {
            await client.SendAsync(data, type, endOfMessage: true, cancel.Token);
            var (echoType, echo) = await ReceiveAsync(client, cancel.Token);
            Assert.Equal(type, echoType);
            Assert.Equal(data, echo);
        }
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel.Token);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        server.Signal(EchoDrainSpecs.Sigterm);
        Assert.Equal(0, await server.ExitCode(Timeout));
    }

    [Fact]
    public async Task ChatWsDoor_BrowserPageInChromium_JoinsTheNcUsersRoomAndLinesGoBothWays()
    {
        using var cancel = new CancellationTokenSource(Timeout * 2);
        using var server = DemoProcess.Demo("Chat", "--listen", "tcp:0:interface=127.0.0.1", "--ws", "tcp:0:interface=127.0.0.1");
        int port = await server.Listening(Timeout);
        string web = (await server.Printed("web listening ", Timeout))["web listening ".Length..];
        using var alice = await ChatDemoSpecs.JoinAsync(port, "alice");
        await alice.Printed("Welcome, alice!", Timeout);
        using var chromium = Chromium.Start();
        var browserUrl = await chromium.DevTools(Timeout);

        await using var browser = await DevToolsSession.ConnectAsync(browserUrl, cancel.Token);
        var target = await browser.SendAsync("Target.createTarget", new { url = "about:blank" }, cancel.Token);
        var pageUrl = new Uri(browserUrl, $"/devtools/page/{(string)target["targetId"]!}");
        await using var page = await DevToolsSession.ConnectAsync(pageUrl, cancel.Token);
        await page.SendAsync("Page.enable", new { }, cancel.Token);
        var loaded = page.EventAsync("Page.loadEventFired", cancel.Token);
        await page.SendAsync("Page.navigate", new { url = $"http://127.0.0.1:{web}/" }, cancel.Token);
        await loaded;

        await WaitForTextAsync(page, "What's your name?", cancel.Token);
        await EvaluateAsync(page, "say('carol')", cancel.Token);
        await WaitForTextAsync(page, "Welcome, carol! Here: alice.", cancel.Token);
        await alice.Printed("* carol has joined", Timeout);

        await EvaluateAsync(page, "say('hello from the browser, é')", cancel.Token);
        await alice.Printed("<carol> hello from the browser, é", Timeout);
        await ChatDemoSpecs.SayAsync(alice, "hello, carol");
        await WaitForTextAsync(page, "<alice> hello, carol", cancel.Token);

        await EvaluateAsync(page, "say('/quit')", cancel.Token);
        await alice.Printed("* carol has left (quit)", Timeout);
        await WaitForTextAsync(page, "(disconnected: 1000)", cancel.Token);
        Assert.Contains("carol joined from 127.0.0.1:", server.Output, StringComparison.Ordinal);
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(ClientWebSocket client, CancellationToken cancel)
    {
        var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var received = await client.ReceiveAsync(buffer, cancel);
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
                return (received.MessageType, message.ToArray());
        }
    }

    /// <summary>Waits until the page's text contains <paramref name="text"/>: each attempt is one evaluation whose promise
    /// resolves when a DOM mutation shows the text (at once if it is there), so the wait is on the page's events. A
    /// new attempt is made only if the page's context was replaced under it; the attempts are bounded.</summary>
    private static async Task WaitForTextAsync(DevToolsSession page, string text, CancellationToken cancel)
    {
        string quoted = JsonSerializer.Serialize(text);
        string expression = $$"""
            new Promise(resolve => {
              const seen = () => document.body !== null && document.body.innerText.includes({{quoted}});
              if (seen()) { resolve(true); return; }
              new MutationObserver((_, observer) => { if (seen()) { observer.disconnect(); resolve(true); } })
                .observe(document, { subtree: true, childList: true, characterData: true });
            })
            """;
        Exception? last = null;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (await EvaluateAsync(page, expression, cancel) == "true")
                    return;
            }
            catch (InvalidOperationException e)
            {
                last = e; // "Execution context was destroyed": a navigation replaced the document; try the new one
            }
        }
        throw new InvalidOperationException($"The page never showed '{text}'.", last);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page, awaiting a promise; returns the value as JSON.</summary>
    private static async Task<string> EvaluateAsync(DevToolsSession page, string expression, CancellationToken cancel)
    {
        var result = await page.SendAsync("Runtime.evaluate", new { expression, awaitPromise = true, returnByValue = true }, cancel);
        if (result["exceptionDetails"] is { } exception)
            throw new InvalidOperationException($"The page threw: {exception.ToJsonString()}");
        return result["result"]?["value"]?.ToJsonString() ?? "undefined";
    }
}
