using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using RxNet.Testing.Specs;

namespace RxNet.Http.Specs.Client.Handler;

/// <summary>
/// The code of the "HttpClient code in virtual time" section of docs/testing.md, compiled and run: the code under test
/// (<see cref="Forecasts"/>) and its specs, verbatim.
/// </summary>
public sealed class HttpClientGuideSpecs
{
    // ---- The code under test, as a user writes it --------------------------------------------------

    public sealed class Forecasts(HttpClient http, TimeProvider time)
    {
        public static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

        public async Task<string> TodayAsync()
        {
            using var deadline = new CancellationTokenSource(Patience, time);
            try
            {
                using var response = await http.GetAsync("http://weather/today", deadline.Token);
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsStringAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return "unknown";   // the weather service is too slow today
            }
        }
    }

    // ---- Its specs ------------------------------------------------------------------------------------

    public sealed class ForecastsSpecs
    {
        private const long Ms = TimeSpan.TicksPerMillisecond;

        private readonly TestScheduler _scheduler = new();
        private readonly SimulatedNetwork _network;
        private readonly List<IConnection> _accepted = [];
        private readonly Forecasts _forecasts;

        public ForecastsSpecs()
        {
            _network = new SimulatedNetwork(_scheduler);
            var weather = new HttpServer(request => Observable.Return(HttpResponse.Text("sunny")), _scheduler);
            weather.Listen(_network.Host("weather").Reactor.ServerEndpoint("tcp:80").Listen().Do(_accepted.Add));
            var http = new HttpClient(new RxNetHttpHandler(_network.Host("app").Reactor))
            {
                Timeout = Timeout.InfiniteTimeSpan,   // HttpClient's own timeout runs on the real clock
            };
            _forecasts = new Forecasts(http, _scheduler.ToTimeProvider());
        }

        [Fact]
        public async Task Today_OverASlowLink_AnswersWhenTheLastByteArrives()
        {
            _network.Link("app", "weather", new LinkOptions { Latency = TimeSpan.FromMilliseconds(600) });

            var today = _forecasts.TodayAsync();
            _scheduler.AdvanceBy(1799 * Ms);        // connect, request, response: three latencies
            Assert.False(today.IsCompleted);
            _scheduler.AdvanceBy(1 * Ms);

            Assert.Equal("sunny", await today);   // already done: await only unwraps it
        }

        [Fact]
        public async Task Today_ServerPartitionedAway_GivesUpAfterTwoVirtualSeconds()
        {
            _network.Partition("app", "weather");

            var today = _forecasts.TodayAsync();
            _scheduler.AdvanceBy(1999 * Ms);
            Assert.False(today.IsCompleted);
            _scheduler.AdvanceBy(1 * Ms);           // the deadline's timer is the scheduler's

            Assert.Equal("unknown", await today);
        }

        [Fact]
        public void Today_ConnectionResetInFlight_FailsAsHttpClientCodeExpects()
        {
            _network.Link("app", "weather", new LinkOptions { Latency = TimeSpan.FromMilliseconds(300) });

            var today = _forecasts.TodayAsync();
            _scheduler.AdvanceBy(700 * Ms);         // the request has arrived, the answer is on its way
            _network.Reset(_accepted.Single());
            _scheduler.AdvanceBy(1 * Ms);

            var error = Assert.IsType<HttpRequestException>(today.Exception?.InnerException);
            Assert.IsType<ConnectionResetException>(error.InnerException);   // the RxNet error, inside
        }
    }

    // ---- The guide itself ---------------------------------------------------------------------------

    [Fact]
    public void Guide_HttpClientSection_EveryBlockIsInThisFile()
    {
        string root = DocSnippets.RepositoryRoot();
        string guide = File.ReadAllText(Path.Combine(root, "docs", "testing.md"));
        int start = guide.IndexOf("\n## HttpClient code in virtual time", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/testing.md has no \"HttpClient code in virtual time\" section.");
        int end = guide.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = guide[start..(end < 0 ? guide.Length : end)];
        string[] spec = Lines(File.ReadAllText(Path.Combine(root, "specs", "RxNet.Http.Specs", "Client", "Handler", "HttpClientGuideSpecs.cs")));

        var blocks = DocSnippets.CodeBlocks(section);

        Assert.Equal(2, blocks.Count);
        foreach (string block in blocks)
        {
            var (usings, body) = DocSnippets.SplitUsings(block);
            string[] lines = Lines(body);
            bool found = Enumerable.Range(0, spec.Length - lines.Length + 1).Any(at => spec.AsSpan(at, lines.Length).SequenceEqual(lines));
            Assert.True(found, $"This block of docs/testing.md is not in HttpClientGuideSpecs.cs verbatim:\n{body}");
            Assert.All(usings, u => Assert.True(spec.Contains(u) || GuideUsings.Contains(u), $"'{u}' is not a using of the spec file."));
        }
    }

    // The usings the guide's spec block shows that this file has globally (the project's global usings).
    private static readonly string[] GuideUsings = ["using RxNet.Testing;", "using Xunit;", "using RxNet;", "using RxNet.Http;"];

    private static string[] Lines(string text) => [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
}
