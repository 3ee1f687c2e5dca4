using RxNet.Sockets.Internal;
using Xunit;

namespace RxNet.Sockets.Specs.Internal;

/// <summary>The reactor's timer heap hands its items out by due time, ties in the order they were queued, and lets a
/// disposed item go from anywhere in the heap.</summary>
public sealed class TimerHeapSpecs
{
    [Fact]
    public void Take_ItemsAddedInAnyOrder_ComeOutByDueTimeThenBySequence()
    {
        var heap = new TimerHeap();
        var random = new Random(11);
        var added = new List<ReactorWork>();
        for (int i = 0; i < 500; i++)
        {
            var work = Work(due: random.Next(50), sequence: i); // many equal due times: ties must keep their order
            added.Add(work);
            heap.Add(work);
        }

        var taken = TakeAll(heap);

        Assert.Equal(added.OrderBy(w => w.Due).ThenBy(w => w.Sequence), taken);
    }

    [Fact]
    public void Remove_ItemsFromAnywhereInTheHeap_LeaveTheRestInOrderAndForgetTheirSlot()
    {
        var heap = new TimerHeap();
        var random = new Random(7);
        var added = Enumerable.Range(0, 300).Select(i => Work(random.Next(1_000), i)).ToList();
        added.ForEach(heap.Add);
        var removed = added.Where((_, i) => i % 3 == 0).ToList();

        Assert.All(removed, w => Assert.True(heap.Remove(w)));

        Assert.All(removed, w => Assert.Equal(-1, w.HeapIndex));
        Assert.All(removed, w => Assert.False(heap.Remove(w))); // a second removal finds nothing
        Assert.Equal(added.Except(removed).OrderBy(w => w.Due).ThenBy(w => w.Sequence), TakeAll(heap));
        Assert.Equal(0, heap.Count);
    }

    [Fact]
    public void Clear_WithItemsQueued_EmptiesTheHeapAndForgetsEverySlot()
    {
        var heap = new TimerHeap();
        var added = Enumerable.Range(0, 40).Select(i => Work(i, i)).ToList();
        added.ForEach(heap.Add);

        heap.Clear();

        Assert.Equal(0, heap.Count);
        Assert.All(added, w => Assert.Equal(-1, w.HeapIndex));
    }

    private static List<ReactorWork> TakeAll(TimerHeap heap)
    {
        var taken = new List<ReactorWork>();
        while (heap.Count > 0)
            taken.Add(heap.Take());
        return taken;
    }

    private static ScheduledWork<int> Work(long due, long sequence) =>
        new(Loop, 0, static (_, _) => System.Reactive.Disposables.Disposable.Empty) { Due = due, Sequence = sequence };

    // Never started: the heap only reads the items' due times and slots.
    private static readonly ReactorLoop Loop = new("unused");
}
