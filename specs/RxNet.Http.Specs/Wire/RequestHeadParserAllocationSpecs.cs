using System.Buffers;

namespace RxNet.Http.Specs.Wire;

/// <summary>
/// What parsing a typical request allocates, measured on this thread after a warm-up (a single-threaded call
/// allocates the same bytes every time). The budget: the header list and the strings a handler sees.
/// </summary>
public sealed class RequestHeadParserAllocationSpecs
{
    private static readonly ReadOnlySequence<byte> s_get = new("GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n"u8.ToArray());
    private static readonly ReadOnlySequence<byte> s_other = new("GET /other HTTP/1.1\r\nHost: example.org\r\nAccept: text/html\r\nConnection: keep-alive\r\n\r\n"u8.ToArray());

    [Fact]
    public void TryParse_TypicalGetOnAFreshParser_AllocatesUnder250Bytes()
    {
        for (int i = 0; i < 1000; i++)
            Parse(new RequestHeadParser(HttpServerOptions.Default), s_other);
        var parser = new RequestHeadParser(HttpServerOptions.Default);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Parse(parser, s_get);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 1, 250);
    }

    [Fact]
    public void TryParse_SameGetAgainOnAKeepAliveConnection_AllocatesOnlyTheHeaderList()
    {
        var parser = new RequestHeadParser(HttpServerOptions.Default);
        for (int i = 0; i < 1000; i++)
            Parse(parser, s_get);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Parse(parser, s_get);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 1, 160);
    }

    private static void Parse(RequestHeadParser parser, ReadOnlySequence<byte> bytes) =>
        Assert.True(parser.TryParse(bytes, out _, out _));
}
