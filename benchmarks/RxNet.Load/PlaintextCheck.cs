namespace RxNet.Load;

/// <summary>The check every client's <c>GET /plaintext</c> response passes: 200, <c>text/plain</c>, <c>Hello, World!</c>.</summary>
internal static class PlaintextCheck
{
    /// <summary>Throws unless the response is the expected one.</summary>
    /// <exception cref="InvalidDataException">It is not.</exception>
    public static void Verify(int status, string? mediaType, ReadOnlySpan<byte> body)
    {
        if (status != 200)
            throw new InvalidDataException($"status {status}, not 200");
        if (mediaType is null || !mediaType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"media type '{mediaType}', not text/plain");
        if (!body.SequenceEqual(HttpExchange.Plaintext.Span))
            throw new InvalidDataException($"a body of {body.Length} bytes that is not 'Hello, World!'");
    }
}
