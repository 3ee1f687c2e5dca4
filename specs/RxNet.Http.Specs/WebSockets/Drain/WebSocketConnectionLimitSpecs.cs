namespace RxNet.Http.Specs.WebSockets.Drain;

/// <summary>The connection limits (<see cref="ConnectionLimiter"/>) go on counting a connection after its upgrade to a
/// WebSocket, until the socket's TCP connection closes.</summary>
public sealed class WebSocketConnectionLimitSpecs
{
    private const long Ms = DrainedWebSocketServer.Ms;

    [Fact]
    public void LimitConnections_UpgradedSocket_StillCountsUntilItCloses()
    {
        var server = new DrainedWebSocketServer();
        var limiter = new ConnectionLimiter(maxConnections: 1);
        using var listening = server.Listen(listener => listener.LimitConnections(limiter));
        var first = server.Open();
        Assert.StartsWith("HTTP/1.1 101", first.Head, StringComparison.Ordinal);
        Assert.Equal(1, limiter.OpenConnections);

        var refused = server.Open();

        Assert.Equal(1, limiter.Refused);
        Assert.IsType<ConnectionResetException>(refused.Error);
        Assert.Single(server.Sockets);

        first.Send(WireFrames.Close(1000));
        server.Run(10 * Ms);
        Assert.Equal(0, limiter.OpenConnections);
        var admitted = server.Open();
        Assert.StartsWith("HTTP/1.1 101", admitted.Head, StringComparison.Ordinal);
        Assert.Equal(1, limiter.OpenConnections);
    }
}
