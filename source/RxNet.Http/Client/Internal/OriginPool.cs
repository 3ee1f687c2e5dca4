using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;

namespace RxNet.Http.Client.Internal;

/// <summary>
/// The connections to one origin: idle ones (the most recently used first), the ones in use, the ones being made,
/// and the requests waiting for one, each bounded by the agent's options.
/// </summary>
/// <remarks>State changes under one lock; callbacks into connections and requests run after it is released, so
/// nothing user-visible runs under it. A connection is made for a particular waiting request (the first in line),
/// and handed to it when made.
/// <para>A pool retires the moment it is empty (nothing idle, in use or being made, nobody waiting): it is marked
/// under its lock, so it can never take a request or a connection again, and then <paramref name="retired"/> takes it
/// out of the agent. A request that found it just before refuses from <see cref="TryAcquire"/> and looks again, so
/// the origin's next pool starts from zero while the retired one holds nothing: the cap per origin holds.</para></remarks>
internal sealed class OriginPool(HttpOrigin origin, IClientEndpoint endpoint, HttpAgentOptions options, IScheduler scheduler, ILogger logger, PoolCounters counters,
    Action<OriginPool> retired)
    : IConnectionOwner
{
    private readonly Lock _gate = new();
    private readonly List<ClientConnection> _idle = [];
    private readonly LinkedList<SendOperation> _waiting = new();
    private int _inUse;
    private int _connecting;
    private bool _disposed;
    private bool _retired;

    public HttpOrigin Origin => origin;

    /// <summary>Whether it was empty and left its agent (for specs).</summary>
    public bool IsRetired
    {
        get
        {
            lock (_gate)
                return _retired;
        }
    }

    private int Total => _idle.Count + _inUse + _connecting;

    /// <summary>Finds <paramref name="operation"/> a connection: an idle one, a new one, or a place in line.</summary>
    /// <param name="operation">The request.</param>
    /// <param name="fresh">A retry after a stale connection: make a new connection for it (closing an idle one to
    /// make room if need be) rather than take another idle one, which may be as stale.</param>
    /// <returns>False when the pool has retired: the caller asks the agent for the origin's pool again.</returns>
    public bool TryAcquire(SendOperation operation, bool fresh)
    {
        ClientConnection? idle = null;
        lock (_gate)
        {
            if (_retired)
                return false;
            operation.Pool = this;
            if (!_disposed && !fresh && _waiting.Count == 0 && _idle.Count > 0)
            {
                // The common case, a connection waiting for a request, in a few steps and no allocation.
                idle = TakeIdle(_idle.Count - 1);
                idle.Slot.State = PoolState.InUse;
                _inUse++;
                counters.AddInUse(1);
            }
        }
        if (idle is null)
            return AcquireSlowly(operation, fresh);
        operation.Acquired(idle);
        return true;
    }

    /// <summary>A new connection, a place in line, or an error; false when the pool retired since the fast path looked.</summary>
    private bool AcquireSlowly(SendOperation operation, bool fresh)
    {
        List<Action> after = [];
        bool retire = false;
        lock (_gate)
        {
            if (_retired)
                return false;
            if (_disposed)
            {
                after.Add(() => operation.AcquireFailed(Disposed()));
            }
            else if (fresh && (Total < options.MaxConnectionsPerOrigin || _idle.Count > 0))
            {
                if (Total >= options.MaxConnectionsPerOrigin)
                    after.Add(TakeIdle(0).Close); // the least recently used makes room
                StartConnect(operation, after);
            }
            else
            {
                operation.Node = fresh ? _waiting.AddFirst(operation) : _waiting.AddLast(operation);
                counters.AddWaiting(1);
                Dispatch(after);
                if (operation.Node is not null && _waiting.Count > options.MaxPendingRequestsPerOrigin)
                {
                    Dequeue(operation);
                    after.Add(() => operation.AcquireFailed(new HttpProtocolException(HttpProtocolError.TooManyPendingRequests, 503,
                        $"{_waiting.Count} requests to {origin} already wait for a connection (MaxPendingRequestsPerOrigin is {options.MaxPendingRequestsPerOrigin}).")));
                    retire = RetireIfEmpty();
                }
            }
        }
        Run(after);
        if (retire)
            retired(this);
        return true;
    }

    /// <summary>The request gave up: it no longer waits.</summary>
    public void CancelWait(SendOperation operation)
    {
        bool retire = false;
        lock (_gate)
        {
            if (operation.Node is not null)
            {
                Dequeue(operation);
                retire = RetireIfEmpty();
            }
        }
        if (retire)
            retired(this);
    }

    public void Released(ClientConnection connection)
    {
        SendOperation? next = null;
        bool close = false;
        lock (_gate)
        {
            if (connection.Slot.State != PoolState.InUse)
                return;
            if (_disposed)
            {
                SetGone(connection);
                close = true;
            }
            else if (_waiting.First is { } first)
            {
                next = first.Value;
                Dequeue(next); // the connection stays in use, for it
            }
            else
            {
                SetGone(connection); // out of the in-use count, into the idle one
                connection.Slot.State = PoolState.Idle;
                _idle.Add(connection); // its own clock times PooledConnectionIdleTimeout (IdleExpired)
                counters.AddIdle(1);
            }
        }
        if (close)
            connection.Close();
        next?.Acquired(connection);
    }

    public void Lost(ClientConnection connection) => Forget(connection);

    public void Detached(ClientConnection connection) => Forget(connection);

    /// <summary>Closes the idle connections and fails the waiting requests with <see cref="ObjectDisposedException"/>;
    /// connections in use close when their exchange ends.</summary>
    public void Dispose()
    {
        List<Action> after = [];
        lock (_gate)
        {
            _disposed = true;
            while (_idle.Count > 0)
                after.Add(TakeIdle(_idle.Count - 1).Close);
            while (_waiting.First is { } next)
            {
                Dequeue(next.Value);
                after.Add(() => next.Value.AcquireFailed(Disposed()));
            }
        }
        Run(after);
    }

    private void Forget(ClientConnection connection)
    {
        List<Action> after = [];
        bool retire;
        lock (_gate)
        {
            if (connection.Slot.State == PoolState.Idle)
                TakeIdle(_idle.IndexOf(connection));
            else
                SetGone(connection);
            if (!_disposed)
                Dispatch(after); // a place is free: a waiting request may connect
            retire = RetireIfEmpty();
        }
        Run(after);
        if (retire)
            retired(this);
    }

    public bool IdleExpired(ClientConnection connection)
    {
        bool retire;
        lock (_gate)
        {
            if (connection.Slot.State != PoolState.Idle)
                return false; // taken by a request meanwhile
            TakeIdle(_idle.IndexOf(connection));
            retire = RetireIfEmpty();
        }
        if (retire)
            retired(this);
        return true;
    }

    /// <summary>Marks the pool retired when it holds nothing and nobody waits (under the lock); the caller then
    /// tells the agent, outside it.</summary>
    private bool RetireIfEmpty()
    {
        if (_disposed || _retired || Total > 0 || _waiting.Count > 0)
            return false;
        _retired = true;
        return true;
    }

    /// <summary>Hands idle connections to waiting requests, and starts connections for the rest while there is room.</summary>
    private void Dispatch(List<Action> after)
    {
        while (_waiting.First is { } first)
        {
            var operation = first.Value;
            if (_idle.Count > 0)
            {
                var connection = TakeIdle(_idle.Count - 1);
                connection.Slot.State = PoolState.InUse;
                _inUse++;
                counters.AddInUse(1);
                Dequeue(operation);
                after.Add(() => operation.Acquired(connection));
                continue;
            }
            if (Total >= options.MaxConnectionsPerOrigin)
                break;
            Dequeue(operation);
            StartConnect(operation, after);
        }
    }

    private void StartConnect(SendOperation operation, List<Action> after)
    {
        _connecting++;
        counters.AddConnecting(1);
        after.Add(() =>
        {
            var connect = endpoint.Connect();
            if (options.ConnectTimeout != Timeout.InfiniteTimeSpan)
                connect = connect.Timeout(options.ConnectTimeout, scheduler);
            // Not cancelled when the request gives up: the connection joins the pool for the next one.
            connect.Take(1).Subscribe(raw => Connected(operation, raw), error => ConnectFailed(operation, error));
        });
    }

    private void Connected(SendOperation operation, IConnection raw)
    {
        var connection = new ClientConnection(raw, options, scheduler, this, logger);
        bool disposed;
        lock (_gate)
        {
            _connecting--;
            counters.AddConnecting(-1);
            disposed = _disposed;
            if (!disposed)
            {
                _inUse++;
                counters.AddInUse(1);
            }
        }
        if (disposed)
        {
            raw.Dispose();
            operation.AcquireFailed(Disposed());
            return;
        }
        connection.Start();
        operation.Acquired(connection);
    }

    private void ConnectFailed(SendOperation operation, Exception error)
    {
        List<Action> after = [() => operation.AcquireFailed(error)];
        bool retire;
        lock (_gate)
        {
            _connecting--;
            counters.AddConnecting(-1);
            if (!_disposed)
                Dispatch(after);
            retire = RetireIfEmpty();
        }
        Run(after);
        if (retire)
            retired(this);
    }

    private ClientConnection TakeIdle(int index)
    {
        var connection = _idle[index];
        _idle.RemoveAt(index);
        counters.AddIdle(-1);
        connection.Slot.State = PoolState.Gone;
        return connection;
    }

    /// <summary>Takes an in-use connection out of the count.</summary>
    private void SetGone(ClientConnection connection)
    {
        if (connection.Slot.State != PoolState.InUse)
            return;
        connection.Slot.State = PoolState.Gone;
        _inUse--;
        counters.AddInUse(-1);
    }

    private void Dequeue(SendOperation operation)
    {
        _waiting.Remove(operation.Node!);
        operation.Node = null;
        counters.AddWaiting(-1);
    }

    private ObjectDisposedException Disposed() => new(nameof(HttpAgent), $"The agent was disposed: no more requests to {origin}.");

    private static void Run(List<Action> actions)
    {
        foreach (var action in actions)
            action();
    }
}
