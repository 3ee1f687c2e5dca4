using System.Globalization;
using RxNet.Testing;

/// <summary>A simulated network plus what the protocols said, printed as one story in virtual time.</summary>
sealed class Timeline(SimulatedNetwork network)
{
    private readonly List<(long Ticks, string Text)> _notes = [];

    public SimulatedNetwork Network => network;

    /// <summary>Records a protocol decision at the current virtual time.</summary>
    public void Note(string text) => _notes.Add((network.Scheduler.Clock, text));

    /// <summary>Network events and notes, by virtual time; at the same tick the network's come first.</summary>
    public void Print(TextWriter output)
    {
        var lines = network.Trace.Select(e => (e.Ticks, Order: 0, Text: e.ToString()))
            .Concat(_notes.Select(n => (n.Ticks, Order: 1, Text: string.Create(CultureInfo.InvariantCulture, $"{new TimeSpan(n.Ticks):c} * {n.Text}"))))
            .OrderBy(l => l.Ticks).ThenBy(l => l.Order); // OrderBy is stable: same-tick lines keep their order
        foreach (var line in lines)
            output.WriteLine(line.Text);
    }
}
