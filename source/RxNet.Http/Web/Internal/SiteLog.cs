using Microsoft.Extensions.Logging;

namespace RxNet.Http.Web.Internal;

/// <summary>The site's log messages.</summary>
internal static partial class SiteLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Line}")]
    public static partial void Access(ILogger logger, string line);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Rendering {Request} failed")]
    public static partial void RenderFailed(ILogger logger, string request, Exception error);
}
