using System.Text;

namespace RxNet.Specs.Fakes;

/// <summary>Reading recorded bytes as text in assertions.</summary>
public static class Bytes
{
    public static string AsText(this byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
