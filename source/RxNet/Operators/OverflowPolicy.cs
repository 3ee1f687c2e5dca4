namespace RxNet;

/// <summary>
/// What <see cref="ConnectionExtensions.WriteTo{T}(IObservable{T}, IFrameOutput{T}, WriteOptions)"/> does when a
/// source that cannot pause (a hot observable) pushes more frames than it may hold while the output is not writable.
/// </summary>
/// <remarks>Dropping is for whole frames only: a byte source always fails, since a dropped chunk would corrupt the
/// stream. Drops are counted in <see cref="RxNetMetrics.OutputDropped"/>, failures in
/// <see cref="RxNetMetrics.OutputOverflows"/>; the first of either is logged, once per write.</remarks>
public enum OverflowPolicy
{
    /// <summary>Abort the output with an <see cref="InputOverflowException"/> naming the limit (the default):
    /// nothing is lost silently.</summary>
    Fail,

    /// <summary>Drop the frame that does not fit: the frames held first are the ones sent when the output is writable
    /// again.</summary>
    DropNewest,

    /// <summary>Drop the oldest frames held to make room: the latest frames are the ones sent when the output is
    /// writable again.</summary>
    DropOldest,

    /// <summary>Hold only the latest frame, whatever the limit (a price ticker, a status): the one sent when the output
    /// is writable again is the newest.</summary>
    KeepLatest,
}
