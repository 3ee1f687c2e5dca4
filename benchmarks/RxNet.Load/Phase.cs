namespace RxNet.Load;

/// <summary>Where a load scenario is: workers count only what completes while <see cref="Measuring"/>.</summary>
internal sealed class Phase
{
    private const int MeasuringValue = 1, StoppedValue = 2;
    private int _value;   // 0: warming up

    /// <summary>True inside the measured window.</summary>
    public bool Measuring => Volatile.Read(ref _value) == MeasuringValue;

    /// <summary>True once the window is over: workers stop.</summary>
    public bool Stopped => Volatile.Read(ref _value) == StoppedValue;

    /// <summary>Opens the measured window.</summary>
    public void StartMeasuring() => Volatile.Write(ref _value, MeasuringValue);

    /// <summary>Closes it.</summary>
    public void Stop() => Volatile.Write(ref _value, StoppedValue);
}
