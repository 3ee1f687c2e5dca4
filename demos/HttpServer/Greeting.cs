using System.Text.Json.Serialization;

namespace HttpServerDemo;

/// <summary>The body of GET /json: <c>{"message":"Hello, World!"}</c>.</summary>
/// <param name="Message">Serialized as <c>message</c>.</param>
internal sealed record Greeting([property: JsonPropertyName("message")] string Message);
