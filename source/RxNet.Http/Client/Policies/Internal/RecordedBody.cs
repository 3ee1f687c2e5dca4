namespace RxNet.Http.Client.Policies.Internal;

/// <summary>A request body that cannot pause, recorded as the agent reads it (see <see cref="BodyRecording"/>).</summary>
internal sealed class RecordedBody(IObservable<ReadOnlyMemory<byte>> source, BodyRecording recording) : IObservable<ReadOnlyMemory<byte>>
{
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return source.Subscribe(recording.Start(observer));
    }
}
