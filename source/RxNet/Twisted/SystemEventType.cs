namespace RxNet.Twisted;

/// <summary>The reactor's system events (Twisted's <c>"startup"</c> and <c>"shutdown"</c>).</summary>
public enum SystemEventType
{
    /// <summary>The reactor starts running: <c>reactor.Run()</c>, or the Generic Host starting.</summary>
    Startup,

    /// <summary>The reactor stops: <c>reactor.Stop()</c>, or the Generic Host stopping.</summary>
    Shutdown,
}
