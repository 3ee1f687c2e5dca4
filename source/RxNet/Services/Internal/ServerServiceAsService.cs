using System.Reactive;
using System.Reactive.Linq;
using RxNet.Twisted;

namespace RxNet.Services.Internal;

/// <summary>A <see cref="ServerService"/> in a Twisted-style service tree (<see cref="ServerService.AsService"/>).</summary>
internal sealed class ServerServiceAsService(ServerService server, TimeSpan drainTimeout) : Service
{
    public override void StartService()
    {
        base.StartService();
        server.Start().Subscribe(_ => { }, _ => { }); // a bind error is the server's to log
    }

    public override IObservable<Unit> StopService()
    {
        base.StopService();
        return server.Stop(drainTimeout).Select(_ => Unit.Default);
    }
}
