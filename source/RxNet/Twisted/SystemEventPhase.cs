namespace RxNet.Twisted;

/// <summary>When a system event trigger runs within its event (Twisted's <c>"before"</c>, <c>"during"</c>,
/// <c>"after"</c>).</summary>
public enum SystemEventPhase
{
    /// <summary>First. A trigger may return an observable or a task, and the event waits until all of them have
    /// finished (as Twisted waits for the Deferreds of "before" triggers).</summary>
    Before,

    /// <summary>Second, once every "before" trigger has finished. Not waited for.</summary>
    During,

    /// <summary>Last, right after the "during" triggers. Not waited for.</summary>
    After,
}
