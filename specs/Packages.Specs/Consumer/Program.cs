// A user's first program against the RxNet packages: an echo server on a free loopback port and a
// client that sends it a line. Prints the versions it runs, then "echoed: <line>"; exits 0 on a
// faithful echo, 1 otherwise.
using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Reflection;
using System.Text;
using RxNet;
using RxNet.Sockets;

var bound = TimeSpan.FromSeconds(20);
foreach (var assembly in new[] { typeof(IConnection).Assembly, typeof(TcpServerEndpoint).Assembly })
    Console.WriteLine($"{assembly.GetName().Name} {assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}");

// The README's recommended entry point: endpoints from the reactor, which carries the scheduler for timers.
using var reactor = new SocketReactor();
var listening = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
using var server = reactor.ServerEndpoint("tcp:0:interface=127.0.0.1")
    .Listen(address => listening.TrySetResult((IPEndPoint)address))
    .Subscribe(connection => connection.Input.Subscribe(connection.Output), error => listening.TrySetException(error));
var port = (await listening.Task.WaitAsync(bound)).Port;

var client = await reactor.ClientEndpoint($"tcp:host=127.0.0.1:port={port}").Connect().Timeout(bound);
var reply = client.Input.Lines().FirstAsync().Timeout(bound).ToTask();
const string line = "hello, packages";
client.Output.OnNext(Encoding.UTF8.GetBytes(line + "\n"));
var echoed = await reply;
client.Output.OnCompleted();

Console.WriteLine($"echoed: {echoed}");
return echoed == line ? 0 : 1;
