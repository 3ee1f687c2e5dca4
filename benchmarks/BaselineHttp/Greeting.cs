namespace BaselineHttp;

/// <summary>The body of GET /json.</summary>
/// <param name="Message">Serialized as <c>message</c>.</param>
internal sealed record Greeting([property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);
