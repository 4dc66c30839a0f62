namespace Vigil.Server.Storage;

/// <summary>
/// A store with work that can wait (for SQLite, merging new trace ids into their index): the single writer runs it
/// when no request is waiting, so commits that requests wait for stay short.
/// </summary>
public interface IStoreUpkeep
{
    /// <summary>True when a piece of upkeep is ready to run now.</summary>
    bool UpkeepReady { get; }

    /// <summary>
    /// Runs one piece of upkeep, holding the store's writer meanwhile: for SQLite a merge chunk (a few milliseconds) or
    /// the WAL's last checkpoint pass before it starts over (what came in since the previous pass, and two fsyncs).
    /// </summary>
    Task RunUpkeepAsync(CancellationToken cancellationToken = default);
}
