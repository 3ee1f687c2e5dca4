using System.Net;
using System.Reactive.Linq;

namespace RxNet.Benchmarks.Http;

/// <summary>A connection in memory for allocation benchmarks: <see cref="MemoryInput"/> delivers on the caller's
/// thread without copying, <see cref="CountingOutput"/> keeps nothing, so what a benchmark's operation allocates is
/// the protocol code's own (RxNet.Testing's fakes record every write, which would be counted too).</summary>
internal sealed class MemoryConnection : IConnection
{
    public MemoryInput Input { get; } = new();

    public CountingOutput Output { get; } = new();

    IConnectionInput IConnection.Input => Input;

    IConnectionOutput IConnection.Output => Output;

    public EndPoint? LocalEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 8080);

    public EndPoint? RemoteEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 50000);

    public IObservable<ConnectionClosed> Closed { get; } = Observable.Never<ConnectionClosed>();

    public void Close() => Output.OnCompleted();

    public void Dispose() => Output.OnCompleted();
}
