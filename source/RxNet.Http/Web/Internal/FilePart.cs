namespace RxNet.Http.Web.Internal;

/// <summary>One piece of a static response: <see cref="Prefix"/> (a multipart separator, or nothing), then
/// <see cref="Length"/> bytes of the file from <see cref="Offset"/>.</summary>
internal readonly record struct FilePart(byte[] Prefix, long Offset, long Length);
