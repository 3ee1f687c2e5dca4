namespace RxNet.Http.Web;

/// <summary>
/// Twisted's <c>UnsupportedMethod</c>: thrown by a <see cref="Resource"/>'s render method for a method it does not
/// render; the <see cref="Site"/> answers 405 Method Not Allowed with an <c>Allow</c> field of
/// <see cref="AllowedMethods"/>.
/// </summary>
public sealed class UnsupportedMethodException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="allowedMethods">The methods the resource does render.</param>
    /// <exception cref="ArgumentNullException"><paramref name="allowedMethods"/> is null.</exception>
    public UnsupportedMethodException(IReadOnlyList<string> allowedMethods)
        : base($"The resource does not render this method; it renders {string.Join(", ", allowedMethods ?? throw new ArgumentNullException(nameof(allowedMethods)))}.")
        => AllowedMethods = allowedMethods;

    /// <summary>The methods the resource does render.</summary>
    public IReadOnlyList<string> AllowedMethods { get; }
}
