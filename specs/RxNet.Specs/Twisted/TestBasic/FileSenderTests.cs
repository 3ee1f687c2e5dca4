using System.Text;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted 22.4 <c>test_basic.FileSenderTests</c>, case for case, with a consumer that records as
/// <c>proto_helpers.StringTransport</c> does (it registers the producer and never asks it by itself).</summary>
public sealed class FileSenderTests
{
    [Fact]
    public void TestInterface_FileSender_IsAPullProducer()
    {
        IProducer sender = new FileSender();

        Assert.IsAssignableFrom<IPullProducer>(sender);
    }

    [Fact]
    public void TestProducerRegistered_BeginFileTransfer_RegistersItselfAsANonStreamingProducer()
    {
        var consumer = new StringConsumer();
        var sender = new FileSender();

        _ = sender.BeginFileTransferAsync(Source(), consumer);

        Assert.Same(sender, consumer.Producer);
        Assert.False(consumer.Streaming);
    }

    [Fact]
    public async Task TestTransfer_ResumedUntilTheEnd_SendsTheContentAndCompletesWithTheLastByte()
    {
        var consumer = new StringConsumer();
        var sender = new FileSender();
        var d = sender.BeginFileTransferAsync(Source(), consumer);

        sender.ResumeProducing();
        sender.ResumeProducing(); // resumeProducing only finishes after trying to read at eof

        Assert.Null(consumer.Producer);
        Assert.True(d.IsCompletedSuccessfully);
        Assert.Equal((byte)'t', await d);
        Assert.Equal("Test content", consumer.Value);
    }

    [Fact]
    public async Task TestTransferMultipleChunks_ChunkSize4_EachResumeSendsAtMostFourBytes()
    {
        var consumer = new StringConsumer();
        var sender = new FileSender { ChunkSize = 4 };
        var d = sender.BeginFileTransferAsync(Source(), consumer);

        sender.ResumeProducing();
        Assert.Equal("Test", consumer.Value);
        sender.ResumeProducing();
        Assert.Equal("Test con", consumer.Value);
        sender.ResumeProducing();
        Assert.Equal("Test content", consumer.Value);
        Assert.False(d.IsCompleted);
        sender.ResumeProducing();

        Assert.True(d.IsCompletedSuccessfully);
        Assert.Equal((byte)'t', await d);
        Assert.Equal("Test content", consumer.Value);
    }

    [Fact]
    public async Task TestTransferWithTransform_SwapCase_SendsTheTransformedBytes()
    {
        var consumer = new StringConsumer();
        var sender = new FileSender();
        var d = sender.BeginFileTransferAsync(Source(), consumer, chunk => Encoding.ASCII.GetBytes(SwapCase(Encoding.ASCII.GetString(chunk.Span))));

        sender.ResumeProducing();
        sender.ResumeProducing();

        Assert.True(d.IsCompletedSuccessfully);
        Assert.Equal((byte)'T', await d);
        Assert.Equal("tEST CONTENT", consumer.Value);
    }

    [Fact]
    public async Task TestAbortedTransfer_StopProducingBeforeTheEnd_FailsWithConsumerAskedUsToStop()
    {
        var consumer = new StringConsumer();
        var sender = new FileSender();
        var d = sender.BeginFileTransferAsync(Source(), consumer);

        sender.StopProducing();

        var error = await Assert.ThrowsAsync<OperationCanceledException>(() => d);
        Assert.Contains("asked the FileSender to stop producing", error.Message, StringComparison.Ordinal);
    }

    private static MemoryStream Source() => new(Encoding.ASCII.GetBytes("Test content"));

    private static string SwapCase(string s) =>
        string.Concat(s.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));

    /// <summary>The consumer side of Twisted's <c>StringTransport</c>.</summary>
    private sealed class StringConsumer : IConsumer
    {
        private readonly List<byte> _written = [];

        public IProducer? Producer { get; private set; }

        public bool Streaming { get; private set; }

        public string Value => Encoding.ASCII.GetString([.. _written]);

        public void Write(ReadOnlyMemory<byte> data) => _written.AddRange(data.ToArray());

        public void RegisterProducer(IProducer producer, bool streaming)
        {
            if (Producer is not null)
                throw new InvalidOperationException("Cannot register two producers.");
            Producer = producer;
            Streaming = streaming;
        }

        public void UnregisterProducer() => Producer = null;
    }
}
