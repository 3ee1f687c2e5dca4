using System.Net.Sockets;
using System.Security.Authentication;

namespace RxNet.Http.Client.Handler.Internal;

/// <summary>
/// The exceptions <c>HttpClient</c> users expect, made from an RxNet error (which is always kept inside): see the
/// remarks of <see cref="RxNetHttpHandler"/> and ADR 0043.
/// </summary>
internal static class HandlerErrors
{
    /// <summary>For an exchange that failed before its response head arrived.</summary>
    public static Exception BeforeHead(Exception error, Uri uri)
    {
        if (error is ObjectDisposedException or HttpRequestException or OperationCanceledException)
            return error;
        if (IsTimeout(error))
            return new TaskCanceledException($"The request to {uri} timed out: {error.Message}", new TimeoutException(error.Message, error));
        return new HttpRequestException(KindOf(error, headReceived: false), $"The request to {uri} failed: {error.Message}", error);
    }

    /// <summary>For a body that failed while its stream was read.</summary>
    public static HttpIOException WhileReading(Exception error) =>
        new(KindOf(error, headReceived: true), $"The response body failed: {error.Message}", error);

    /// <summary>For a body that failed while <c>HttpClient</c> buffered or copied it: the stream's
    /// <see cref="HttpIOException"/> as an <see cref="HttpRequestException"/> around the same RxNet error.</summary>
    public static HttpRequestException WhileBuffering(HttpIOException failure) =>
        new(failure.HttpRequestError, failure.Message, failure.InnerException);

    private static bool IsTimeout(Exception error) => error is TimeoutException or HttpProtocolException { StatusCode: 504 };

    private static HttpRequestError KindOf(Exception error, bool headReceived) => error switch
    {
        ConnectionRefusedException => HttpRequestError.ConnectionError,
        ConnectionResetException or ConnectionAbortedException => headReceived ? HttpRequestError.ResponseEnded : HttpRequestError.ConnectionError,
        HttpProtocolException { Error: HttpProtocolError.IncompleteBody } => HttpRequestError.ResponseEnded,
        HttpProtocolException { Error: HttpProtocolError.HeadersTooLarge or HttpProtocolError.BodyTooLarge } => HttpRequestError.ConfigurationLimitExceeded,
        HttpProtocolException { StatusCode: 504 } => HttpRequestError.Unknown,
        HttpProtocolException => HttpRequestError.InvalidResponse,
        InputOverflowException => HttpRequestError.ConfigurationLimitExceeded,
        AuthenticationException => HttpRequestError.SecureConnectionError,
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } => HttpRequestError.NameResolutionError,
        SocketException => HttpRequestError.ConnectionError,
        _ => HttpRequestError.Unknown,
    };
}
