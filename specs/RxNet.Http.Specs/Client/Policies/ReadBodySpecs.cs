using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace RxNet.Http.Specs.Client.Policies;

public sealed class ReadBodySpecs
{
    [Fact]
    public void ReadBody_GathersEveryChunkIntoOneArray()
    {
        var response = new HttpResponse { Body = new TrackedBody(new byte[] { 1, 2, 3, 4, 5 }, chunkSize: 2) };

        byte[]? body = null;
        response.ReadBody().Subscribe(b => body = b);

        Assert.Equal([1, 2, 3, 4, 5], body);
    }

    [Fact]
    public void ReadBody_ResponseWithoutBody_GivesAnEmptyArray()
    {
        byte[]? body = null;
        new HttpResponse(204).ReadBody().Subscribe(b => body = b);

        Assert.Empty(body!);
    }

    [Fact]
    public void ReadBody_PastMaxSize_FailsWithBodyTooLargeAndDropsTheBody()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var response = new HttpResponse { Body = source };

        Exception? error = null;
        response.ReadBody(maxSize: 25).Subscribe(_ => { }, e => error = e);
        source.OnNext(new byte[10]);
        source.OnNext(new byte[10]);
        Assert.Null(error);
        source.OnNext(new byte[10]);

        var e = Assert.IsType<HttpProtocolException>(error);
        Assert.Equal(HttpProtocolError.BodyTooLarge, e.Error);
        Assert.Contains("25", e.Message, StringComparison.Ordinal);
        Assert.False(source.HasObservers);
    }

    [Fact]
    public void ReadBody_ExactlyMaxSize_Succeeds()
    {
        var response = new HttpResponse { Body = new TrackedBody(new byte[25], chunkSize: 10) };

        byte[]? body = null;
        response.ReadBody(maxSize: 25).Subscribe(b => body = b);

        Assert.Equal(25, body!.Length);
    }

    [Fact]
    public void ReadBody_DeclaredLengthOverMaxSize_FailsBeforeReadingAByte()
    {
        var source = new TrackedBody(new byte[100]);
        var response = new HttpResponse { Body = source, ContentLength = 100 };

        Exception? error = null;
        response.ReadBody(maxSize: 50).Subscribe(_ => { }, e => error = e);

        Assert.Equal(HttpProtocolError.BodyTooLarge, Assert.IsType<HttpProtocolException>(error).Error);
        Assert.Equal(0, source.Subscriptions);
    }

    [Fact]
    public void ReadBody_ErrorOfTheBody_PassesThrough()
    {
        var failure = new ConnectionResetException("reset");
        var response = new HttpResponse { Body = Observable.Throw<ReadOnlyMemory<byte>>(failure) };

        Exception? error = null;
        response.ReadBody().Subscribe(_ => { }, e => error = e);

        Assert.Same(failure, error);
    }

    [Fact]
    public async Task ReadBodyAsync_ReturnsTheBody()
    {
        var response = new HttpResponse { Body = new TrackedBody("hello") };

        byte[] body = await response.ReadBodyAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("hello"u8.ToArray(), body);
    }

    [Fact]
    public async Task ReadBodyAsync_Cancelled_DropsTheBodyAndCancelsTheTask()
    {
        bool dropped = false;
        var body = new Subject<ReadOnlyMemory<byte>>();
        var response = new HttpResponse { Body = body.Finally(() => dropped = true) };
        using var cancellation = new CancellationTokenSource();

        var task = response.ReadBodyAsync(cancellationToken: cancellation.Token);
        body.OnNext(new byte[10]);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(dropped);
        Assert.False(body.HasObservers);
    }
}
