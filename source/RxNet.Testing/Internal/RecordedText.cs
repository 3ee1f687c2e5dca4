using System.Globalization;
using System.Reactive;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Testing.Internal;

/// <summary>Recorded notifications as lines in virtual milliseconds, for assertion messages that a person
/// reads: byte chunks as escaped text, strings quoted, everything else formatted invariantly.</summary>
internal static class RecordedText
{
    public static string Format<T>(IEnumerable<Recorded<Notification<T>>> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            decimal ms = (decimal)message.Time / TimeSpan.TicksPerMillisecond;
            text.Append(CultureInfo.InvariantCulture, $"+{ms:0.####} ms ");
            var notification = message.Value;
            text.Append(notification.Kind switch
            {
                NotificationKind.OnNext => "OnNext(" + Value(notification.Value) + ")",
                NotificationKind.OnError => "OnError(" + notification.Exception!.GetType().Name + ": " + notification.Exception.Message + ")",
                _ => "OnCompleted()",
            }).Append('\n');
        }
        return text.ToString();
    }

    private static string Value<T>(T value) => value switch
    {
        null => "null",
        ReadOnlyMemory<byte> bytes => BytesText.Quote(bytes.Span),
        Memory<byte> bytes => BytesText.Quote(bytes.Span),
        byte[] bytes => BytesText.Quote(bytes),
        string s => Quote(s),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    // ASCII escaped as BytesText does; other characters as they are, so non-ASCII text stays readable.
    private static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        foreach (char c in s)
            text.Append(c < 0x80 ? BytesText.Escape((byte)c) : c.ToString());
        return text.Append('"').ToString();
    }
}
