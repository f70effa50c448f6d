namespace RwHarness.Locks;

/// <summary>
/// Real backend only: a distinct nonzero number per OS thread, the identity BRAVO readers publish in the
/// visible-readers table. A primitive thread-static in a non-generic class, so reading it compiles to one
/// inlined TLS load, which matters on a fast path of a few nanoseconds.
/// </summary>
internal static class BravoThreadIdentity
{
    private static long lastIssued;

    [ThreadStatic]
    private static long current;

    /// <summary>This thread's identity, issued on first use (sequential, so Fibonacci hashing spreads them over the table).</summary>
    public static long Current
    {
        get
        {
            var id = current;
            return id != 0 ? id : Issue();
        }
    }

    private static long Issue() => current = Interlocked.Increment(ref lastIssued);
}
