namespace RwHarness.Model;

/// <summary>Implemented by locks with Go's runtime reader queue, so scenarios can check its bookkeeping.</summary>
public interface IReaderQueueIntrospection
{
    /// <summary>Go: rwmutex.readerPass — readers the writer's unlock counted but that had not queued yet.</summary>
    uint ReaderPass { get; }

    /// <summary>Readers parked in the queue now.</summary>
    int QueuedReaders { get; }
}
