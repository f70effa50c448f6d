namespace RwHarness.Engine.Runtime;

/// <summary>Where a virtual thread is in its life.</summary>
internal enum ThreadStatus : byte
{
    /// <summary>Assigned to a host but has not run yet: it runs up to its first operation before any choice is made.</summary>
    NotStarted,

    /// <summary>Stopped before an operation it can perform: a candidate for the next step.</summary>
    Runnable,

    /// <summary>Waiting on a semaphore, a park, or an external resource; disabled until woken.</summary>
    Blocked,

    Finished,
}
