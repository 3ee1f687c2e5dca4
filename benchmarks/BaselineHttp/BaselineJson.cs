using System.Text.Json.Serialization;

namespace BaselineHttp;

/// <summary>The serializer of <see cref="Greeting"/>, generated at build time (no reflection).</summary>
[JsonSerializable(typeof(Greeting))]
internal sealed partial class BaselineJson : JsonSerializerContext;
