using System.Text.Json.Serialization;

namespace HttpServerDemo;

/// <summary>The serializer of <see cref="Greeting"/>, generated at build time: no reflection, so trimming keeps
/// what it needs.</summary>
[JsonSerializable(typeof(Greeting))]
internal sealed partial class DemoJson : JsonSerializerContext;
