namespace RxNet.Http.Specs.WebSockets.Abuse;

/// <summary>The abuse specs measure the whole process (memory, file descriptors): they run alone, after the rest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AbuseRunsAlone
{
    public const string Name = "WebSocket abuse";
}
