namespace Vigil.Server.Storage;

/// <summary>
/// A store with work that can wait (for SQLite, merging new trace ids into their index): the single writer runs it
/// when no request is waiting, so commits that requests wait for stay short.
/// </summary>
public interface IStoreUpkeep
{
    /// <summary>True when a piece of upkeep is ready to run now.</summary>
    bool UpkeepReady { get; }

    /// <summary>Runs one short piece of upkeep (a few milliseconds), holding the store's writer meanwhile.</summary>
    Task RunUpkeepAsync(CancellationToken cancellationToken = default);
}
