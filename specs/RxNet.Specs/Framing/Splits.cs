using System.Reactive.Linq;
using System.Text;

namespace RxNet.Specs.Framing;

/// <summary>Every way to cut a short input into chunks, and the frames a decoder makes of each.</summary>
public static class Splits
{
    /// <summary>All 2^(n-1) ways to cut <paramref name="bytes"/> into non-empty chunks, in order.</summary>
    public static IEnumerable<byte[][]> All(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            yield return [];
            yield break;
        }
        int cuts = bytes.Length - 1;
        for (long mask = 0; mask < 1L << cuts; mask++)
        {
            var chunks = new List<byte[]>();
            int start = 0;
            for (int i = 0; i < cuts; i++)
            {
                if ((mask & (1L << i)) != 0)
                {
                    chunks.Add(bytes[start..(i + 1)]);
                    start = i + 1;
                }
            }
            chunks.Add(bytes[start..]);
            yield return [.. chunks];
        }
    }

    /// <summary>Runs the chunks through <paramref name="decode"/> synchronously and returns what came out.</summary>
    public static (List<T> Frames, Exception? Error, bool Completed) Run<T>(byte[][] chunks, Func<IObservable<ReadOnlyMemory<byte>>, IObservable<T>> decode)
    {
        var frames = new List<T>();
        Exception? error = null;
        bool completed = false;
        using var _ = decode(chunks.Select(c => (ReadOnlyMemory<byte>)c).ToObservable(System.Reactive.Concurrency.ImmediateScheduler.Instance))
            .Subscribe(frames.Add, e => error = e, () => completed = true);
        return (frames, error, completed);
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
