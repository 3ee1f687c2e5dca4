namespace RxNet.Http;

/// <summary>A minimum data rate: a peer slower than <see cref="BytesPerSecond"/>, once <see cref="GracePeriod"/> has
/// passed, is too slow and its connection is closed.</summary>
/// <param name="BytesPerSecond">The minimum average rate, in bytes per second.</param>
/// <param name="GracePeriod">How long the rate is not enforced at the start of a transfer.</param>
public sealed record HttpDataRate(double BytesPerSecond, TimeSpan GracePeriod);
