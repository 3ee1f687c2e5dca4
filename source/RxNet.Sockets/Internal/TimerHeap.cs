namespace RxNet.Sockets.Internal;

/// <summary>
/// The timers of a <see cref="ReactorLoop"/>: a binary min-heap ordered by <see cref="ReactorWork.Precedes"/> in which
/// each item knows its slot, so a disposed timer leaves in O(log n) instead of waiting for its due time. Not
/// thread-safe: the loop calls it under its lock.
/// </summary>
internal sealed class TimerHeap
{
    private ReactorWork[] _items = new ReactorWork[16];

    public int Count { get; private set; }

    /// <summary>The item that falls due first; the heap must not be empty.</summary>
    public ReactorWork Peek() => _items[0];

    public void Add(ReactorWork work)
    {
        if (Count == _items.Length)
            Array.Resize(ref _items, Count * 2);
        Place(work, Count++);
        Up(work.HeapIndex);
    }

    /// <summary>Takes out the item that falls due first; the heap must not be empty.</summary>
    public ReactorWork Take()
    {
        ReactorWork first = _items[0];
        RemoveAt(0);
        return first;
    }

    /// <summary>Takes <paramref name="work"/> out if it is in this heap; whether it was.</summary>
    public bool Remove(ReactorWork work)
    {
        int index = work.HeapIndex;
        if (index < 0 || index >= Count || _items[index] != work)
            return false;
        RemoveAt(index);
        return true;
    }

    public void Clear()
    {
        for (int i = 0; i < Count; i++)
        {
            _items[i].HeapIndex = -1;
            _items[i] = null!;
        }
        Count = 0;
    }

    private void RemoveAt(int index)
    {
        _items[index].HeapIndex = -1;
        ReactorWork last = _items[--Count];
        _items[Count] = null!;
        if (index == Count)
            return;
        Place(last, index);
        Down(index);
        Up(last.HeapIndex);
    }

    private void Up(int index)
    {
        ReactorWork work = _items[index];
        while (index > 0)
        {
            int parent = (index - 1) / 2;
            if (!work.Precedes(_items[parent]))
                break;
            Place(_items[parent], index);
            index = parent;
        }
        Place(work, index);
    }

    private void Down(int index)
    {
        ReactorWork work = _items[index];
        while (true)
        {
            int child = 2 * index + 1;
            if (child >= Count)
                break;
            if (child + 1 < Count && _items[child + 1].Precedes(_items[child]))
                child++;
            if (!_items[child].Precedes(work))
                break;
            Place(_items[child], index);
            index = child;
        }
        Place(work, index);
    }

    private void Place(ReactorWork work, int index)
    {
        _items[index] = work;
        work.HeapIndex = index;
    }
}
