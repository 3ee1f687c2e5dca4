using Microsoft.Extensions.Logging;

namespace RxNet.Operators.Internal;

/// <summary>An output that knows its connection's logger, so an overflow is logged where the connection logs even
/// when the writer gave <c>WriteTo</c> no logger of its own. Wrappers pass their inner output's on.</summary>
internal interface ILoggingOutput
{
    /// <summary>The connection's logger; never <see langword="null"/> (a null logger when it has none).</summary>
    ILogger Logger { get; }
}
