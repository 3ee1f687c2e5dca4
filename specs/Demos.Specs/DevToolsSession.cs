using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Demos.Specs;

/// <summary>A Chrome DevTools Protocol connection (one browser or one page target) over a WebSocket: commands are JSON
/// messages with an id, answered by a message with the same id; events (no id) are kept until awaited.</summary>
internal sealed class DevToolsSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = [];
    private readonly List<(string Method, TaskCompletionSource<JsonNode> Seen)> _waiters = [];
    private readonly List<JsonNode> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;
    private int _nextId;

    public static async Task<DevToolsSession> ConnectAsync(Uri url, CancellationToken cancel)
    {
        var session = new DevToolsSession();
        session._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await session._socket.ConnectAsync(url, cancel);
        session._reading = session.ReadAsync();
        return session;
    }

    /// <summary>Sends a command and returns its <c>result</c>; a CDP error fails with its message.</summary>
    public async Task<JsonNode> SendAsync(string method, object parameters, CancellationToken cancel)
    {
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_pending)
        {
            id = ++_nextId;
            _pending[id] = answer;
        }
        byte[] command = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters });
        await _socket.SendAsync(command, WebSocketMessageType.Text, true, cancel);
        var message = await answer.Task.WaitAsync(cancel);
        if (message["error"] is { } error)
            throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
        return message["result"]!;
    }

    /// <summary>Completes with the first event named <paramref name="method"/> received since the session opened.</summary>
    public Task<JsonNode> EventAsync(string method, CancellationToken cancel)
    {
        var seen = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            if (_events.FirstOrDefault(e => (string?)e["method"] == method) is { } earlier)
                seen.SetResult(earlier);
            else
                _waiters.Add((method, seen));
        }
        return seen.Task.WaitAsync(cancel);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The browser is killed next: an unfinished read is expected.
        }
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (received.MessageType == WebSocketMessageType.Close)
                return;
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
                continue;
            var node = JsonNode.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length))!;
            message.SetLength(0);
            Dispatch(node);
        }
    }

    private void Dispatch(JsonNode node)
    {
        TaskCompletionSource<JsonNode>? answer = null;
        List<TaskCompletionSource<JsonNode>> seen = [];
        lock (_pending)
        {
            if (node["id"] is { } id)
            {
                _pending.Remove((int)id, out answer);
            }
            else
            {
                _events.Add(node);
                string? method = (string?)node["method"];
                for (int i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Method == method)
                    {
                        seen.Add(_waiters[i].Seen);
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }
        answer?.TrySetResult(node);
        foreach (var waiter in seen)
            waiter.TrySetResult(node);
    }
}
