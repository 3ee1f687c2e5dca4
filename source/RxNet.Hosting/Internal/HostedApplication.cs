using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using RxNet.Twisted;

namespace RxNet.Hosting.Internal;

/// <summary>A Twisted-style service tree run by the Generic Host (<c>AddRxNetApplication</c>): started with the host,
/// and the host's stop waits for its <see cref="Service.StopService"/>.</summary>
internal sealed class HostedApplication(Service application) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        application.PrivilegedStartService();
        application.StartService();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The stop may end on the reactor's or an I/O thread; the host's remaining shutdown goes on from the pool.
        await application.StopService().LastOrDefaultAsync().ToTask().WaitAsync(cancellationToken)
            .ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
    }
}
