namespace RxNet.Load;

/// <summary>What every response of an HTTP scenario must be: status 200, kept alive, framed by
/// <c>Content-Length</c> or chunked, with exactly this body (and, when given, this media type).</summary>
/// <param name="Body">The exact body bytes.</param>
/// <param name="ContentType">The media type the <c>Content-Type</c> field must start with; <see langword="null"/>
/// to accept any.</param>
internal sealed record HttpExpectation(ReadOnlyMemory<byte> Body, string? ContentType);
