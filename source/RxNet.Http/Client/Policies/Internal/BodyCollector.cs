using System.Buffers;
using System.Reactive.Disposables;

namespace RxNet.Http.Client.Policies.Internal;

/// <summary>
/// One subscription of <see cref="HttpResponseBodyExtensions.ReadBody"/>: gathers the body's chunks into one array,
/// failing with <see cref="HttpProtocolError.BodyTooLarge"/> (and dropping the body's subscription) as soon as the
/// bytes pass the limit.
/// </summary>
internal sealed class BodyCollector(IObserver<byte[]> observer, long? maxSize) : IObserver<ReadOnlyMemory<byte>>, IDisposable
{
    private readonly ArrayBufferWriter<byte> _bytes = new();
    private readonly SingleAssignmentDisposable _body = new();
    private bool _over;

    /// <summary>Reads <paramref name="response"/>'s body; the returned disposable drops it.</summary>
    public IDisposable Read(HttpResponse response)
    {
        if (maxSize is { } max && response.ContentLength > max)
        {
            observer.OnError(TooLarge(response.ContentLength.Value, declared: true)); // nothing read
            return Disposable.Empty;
        }
        if (response.Body is null)
        {
            OnCompleted();
            return Disposable.Empty;
        }
        _body.Disposable = response.Body.Subscribe(this);
        return this;
    }

    public void Dispose() => _body.Dispose();

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (_over)
            return;
        long size = _bytes.WrittenCount + (long)value.Length;
        if (size > maxSize)
        {
            _over = true;
            _body.Dispose();
            observer.OnError(TooLarge(size, declared: false));
            return;
        }
        _bytes.Write(value.Span);
    }

    public void OnError(Exception error)
    {
        if (_over)
            return;
        _over = true;
        observer.OnError(error);
    }

    public void OnCompleted()
    {
        if (_over)
            return;
        _over = true;
        observer.OnNext(_bytes.WrittenSpan.ToArray());
        observer.OnCompleted();
    }

    private HttpProtocolException TooLarge(long size, bool declared) =>
        new(HttpProtocolError.BodyTooLarge, 502, declared
            ? $"The response body is {size} bytes long (Content-Length), over the {maxSize} bytes ReadBody was allowed to gather."
            : $"The response body passed the {maxSize} bytes ReadBody was allowed to gather ({size} bytes so far); the rest was not read.");
}
