using Xunit;

namespace RxNet.Specs.Errors;

/// <summary>The typed connection errors: all are <see cref="IOException"/>s, so code catching I/O
/// errors catches them, and each keeps the transport's own error.</summary>
public sealed class ConnectionErrorsSpecs
{
    [Theory]
    [InlineData(nameof(ConnectionResetException))]
    [InlineData(nameof(ConnectionAbortedException))]
    [InlineData(nameof(ConnectionRefusedException))]
    public void Constructor_MessageAndInner_KeepsBothAndIsAnIOException(string type)
    {
        var inner = new InvalidOperationException("inner");

        Exception error = type switch
        {
            nameof(ConnectionResetException) => new ConnectionResetException("what happened", inner),
            nameof(ConnectionAbortedException) => new ConnectionAbortedException("what happened", inner),
            _ => new ConnectionRefusedException("what happened", inner),
        };

        Assert.IsAssignableFrom<IOException>(error);
        Assert.Equal(type, error.GetType().Name);
        Assert.Equal("what happened", error.Message);
        Assert.Same(inner, error.InnerException);
    }

    [Fact]
    public void Constructor_Default_SaysWhatHappened()
    {
        Assert.Contains("reset", new ConnectionResetException().Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("aborted", new ConnectionAbortedException().Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("refused", new ConnectionRefusedException().Message, StringComparison.OrdinalIgnoreCase);
    }
}
