namespace RxNet.Http.Specs.WebSockets.Abuse;

/// <summary>Every wait of the abuse specs is on an event, bounded here.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(120);

    public static Task Within(this Task task) => task.WaitAsync(Long, TestContext.Current.CancellationToken);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Long, TestContext.Current.CancellationToken);
}
