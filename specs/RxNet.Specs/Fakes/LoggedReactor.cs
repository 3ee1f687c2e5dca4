using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;

namespace RxNet.Specs.Fakes;

/// <summary>A simulated host's reactor whose callback failures are logged to <see cref="Logs"/>, in virtual time.</summary>
internal sealed class LoggedReactor : IDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    public LoggedReactor()
    {
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(Logs));
        Network = new SimulatedNetwork(Scheduler) { LoggerFactory = _loggerFactory };
        Reactor = Network.Host("server").Reactor;
    }

    public TestScheduler Scheduler { get; } = new();

    public FakeLoggerProvider Logs { get; } = new();

    public SimulatedNetwork Network { get; }

    public IReactor Reactor { get; }

    /// <summary>The virtual time, in seconds.</summary>
    public double Seconds => TimeSpan.FromTicks(Scheduler.Clock).TotalSeconds;

    public void Dispose()
    {
        _loggerFactory.Dispose();
        Logs.Dispose();
    }
}
