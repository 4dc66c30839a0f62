namespace Vigil.Server.Storage;

/// <summary>
/// A half-open time range [<see cref="From"/>, <see cref="To"/>) mapped onto stored microseconds.
/// Rows whose stored value lies in [<see cref="OuterFrom"/>, <see cref="OuterTo"/>) may belong to the range;
/// those in [<see cref="InnerFrom"/>, <see cref="InnerTo"/>) certainly do. The rest (only possible when a bound
/// is not a whole microsecond) are decided on the record's exact timestamp, so ranges are exact to the tick.
/// </summary>
internal readonly record struct MicrosecondWindow(
    DateTimeOffset From, DateTimeOffset To, long OuterFrom, long InnerFrom, long InnerTo, long OuterTo)
{
    /// <summary>True when both bounds are whole microseconds: the stored values decide alone.</summary>
    public bool IsExact => OuterFrom == InnerFrom && InnerTo == OuterTo;

    /// <summary>True when a row stored at <paramref name="unixMicroseconds"/> is in the range whatever its sub-microsecond part.</summary>
    public bool IsCertain(long unixMicroseconds) => unixMicroseconds >= InnerFrom && unixMicroseconds < InnerTo;

    /// <summary>True when <paramref name="instant"/> is in [<see cref="From"/>, <see cref="To"/>).</summary>
    public bool Contains(DateTimeOffset instant) => instant >= From && instant < To;
}
