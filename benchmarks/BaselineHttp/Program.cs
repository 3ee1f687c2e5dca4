// The HTTP baseline of the load driver: Kestrel through ASP.NET Core's minimal APIs, serving the routes of
// demos/HttpServer that the load scenarios use, on 127.0.0.1 only, with logging off.
//   GET /plaintext  Hello, World! (text/plain)
//   GET /json       {"message":"Hello, World!"} (application/json, a source-generated serializer)
//   POST /echo      the request body, copied to the response as it arrives
// Usage: BaselineHttp PORT. Prints "listening PORT" once Kestrel accepts.
using System.Globalization;
using System.Net;
using BaselineHttp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var port))
{
    await Console.Error.WriteLineAsync("usage: BaselineHttp PORT");
    return 2;
}
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
var app = builder.Build();
app.MapGet("/plaintext", () => Results.Text("Hello, World!", "text/plain"));
app.MapGet("/json", () => Results.Json(new Greeting("Hello, World!"), BaselineJson.Default.Greeting));
app.MapPost("/echo", async (HttpContext context) =>
{
    // Streams: nothing is buffered whole. A declared length is kept, so the echo's framing follows the request's.
    context.Response.ContentType = context.Request.ContentType ?? "application/octet-stream";
    context.Response.ContentLength = context.Request.ContentLength;
    await context.Request.Body.CopyToAsync(context.Response.Body, context.RequestAborted);
});
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"listening {port}"));
await app.RunAsync();
return 0;
