namespace RxNet.Http.Client.Policies.Internal;

/// <summary>A request body that can pause, recorded as the agent reads it (see <see cref="BodyRecording"/>): the
/// agent's demand goes to the source, so the upload keeps its back-pressure.</summary>
internal sealed class PausableRecordedBody(IPausableObservable<ReadOnlyMemory<byte>> source, BodyRecording recording) : IConnectionInput
{
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return source.Subscribe(recording.Start(observer));
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return source.Subscribe(recording.Start(observer), canProduce);
    }
}
