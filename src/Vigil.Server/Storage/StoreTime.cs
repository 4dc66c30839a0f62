namespace Vigil.Server.Storage;

/// <summary>
/// The stores keep every timestamp as whole microseconds since the Unix epoch (UTC) in an integer
/// column. <see cref="DateTimeOffset"/> has 100 ns ticks, so a stored value is the record's time
/// rounded down to the microsecond; the record's JSON keeps the full value.
/// </summary>
internal static class StoreTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    private static readonly long s_epochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>The instant as Unix microseconds, rounded down (toward the past, also before 1970).</summary>
    public static long ToUnixMicroseconds(DateTimeOffset instant) =>
        FloorDiv(instant.UtcTicks - s_epochTicks, TicksPerMicrosecond);

    /// <summary>The stored-microsecond bounds of the half-open time range [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static MicrosecondWindow Window(DateTimeOffset from, DateTimeOffset to)
    {
        var fromTicks = from.UtcTicks - s_epochTicks;
        var toTicks = to.UtcTicks - s_epochTicks;
        return new MicrosecondWindow(
            from,
            to,
            OuterFrom: FloorDiv(fromTicks, TicksPerMicrosecond),
            InnerFrom: CeilingDiv(fromTicks, TicksPerMicrosecond),
            InnerTo: FloorDiv(toTicks, TicksPerMicrosecond),
            OuterTo: CeilingDiv(toTicks, TicksPerMicrosecond));
    }

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    private static long CeilingDiv(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder > 0 ? quotient + 1 : quotient;
    }
}
