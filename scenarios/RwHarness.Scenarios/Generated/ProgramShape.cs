using RwHarness.Model;

namespace RwHarness.Scenarios.Generated;

/// <summary>
/// Which programs make sense for a lock. Every lock gets 2-4 threads of 2-5 operations, read and write
/// sections, TryEnter with a conditional exit, reads and writes of the cell. Nested read-in-read sections
/// only go to locks that promise recursion (<see cref="LockTraits.SupportsRecursion"/>).
/// </summary>
/// <remarks>
/// Why nesting is left out elsewhere: re-entering the read side while another thread waits for the write
/// side deadlocks by design on a writer-preferring lock (Go: "a blocked Lock call excludes new readers";
/// scenario read-reentry-pending-writer proves it), BRAVO falls back to such a lock when its bias is off,
/// and ReaderWriterLockSlim without recursion throws LockRecursionException. Accepting "hangs" as an
/// outcome would let a lock that really deadlocks pass, so the property asks for Holds on every program it
/// generates, and the generator only generates programs whose every schedule must finish.
/// A thread never asks for a side it already holds in any other way (no write in write, no write in read).
/// </remarks>
public sealed record ProgramShape(bool AllowNestedReads, int MinThreads = 2, int MaxThreads = 4, int MaxOperationsPerThread = 5)
{
    public static ProgramShape For(LockDescriptor lockDescriptor) => new(lockDescriptor.Has(LockTraits.SupportsRecursion));

    /// <summary>A lock that promises nothing beyond exclusion: no nesting.</summary>
    public static ProgramShape Flat { get; } = new(false);
}
