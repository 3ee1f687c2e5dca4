using System.Net;

namespace RxNet.Twisted;

/// <summary>A port listening with a factory (Twisted's <c>IListeningPort</c>); disposing it stops listening.</summary>
public interface IListeningPort : IDisposable
{
    /// <summary>The bound address, with the real port when port 0 was asked for (Twisted's <c>getHost</c>).</summary>
    EndPoint Host { get; }

    /// <summary>Stops accepting; connections already made live on (Twisted's <c>stopListening</c>).</summary>
    void StopListening();
}
