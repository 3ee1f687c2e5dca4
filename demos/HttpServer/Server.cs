using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RxNet;
using RxNet.Hosting;
using RxNet.Http;
using RxNet.Http.Web;

namespace HttpServerDemo;

/// <summary>Runs the HTTP server on the .NET Generic Host until SIGTERM or Ctrl+C, then drains.</summary>
internal static class Server
{
    public static int Run(string endpoint, string root, bool twisted, TimeSpan drain)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace); // stdout is for "listening"
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = drain + TimeSpan.FromSeconds(5));
        // The HTTP server needs the reactor's scheduler (Date, timeouts), which exists once the host is built.
        HttpServer? http = null;
        builder.Services.AddRxNetServer(endpoint, connection => http!.Serve(connection), server => server.DrainTimeout = drain);
        using var host = builder.Build();
        var scheduler = host.Services.GetRequiredService<IReactor>().Scheduler;
        var options = new HttpServerOptions { Logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HttpServer") };
        // Static files in both styles: twisted.web's File resource (ranges, conditional GETs, listings, confinement).
        var files = new RxNet.Http.Web.File(root);
        Func<HttpRequest, IObservable<HttpResponse>> handler = twisted
            ? TwistedStyle.Site(files, scheduler).Handle
            : new Routes(new Site(files, scheduler).Handle, scheduler).Handle;
        http = new HttpServer(handler, scheduler, options);
        host.Start(); // binds, or throws (bad string, port in use)
        var bound = host.Services.GetRequiredService<RxNetServer>().BoundEndPoint;
        Console.WriteLine($"listening {(bound is IPEndPoint ip ? ip.Port.ToString(CultureInfo.InvariantCulture) : bound)}");
        // Before the host stops the listener: idle keep-alive connections close now, the rest after their exchange.
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(http.Drain);
        host.WaitForShutdown(); // SIGTERM or Ctrl+C: stop accepting, drain, abort the rest
        return 0;
    }
}
