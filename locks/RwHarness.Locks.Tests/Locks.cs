using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

/// <summary>The production lock types, one test case per shipped lock.</summary>
internal static class Locks
{
    public static IEnumerable<TestCaseData> Production()
    {
        yield return Case("counter-negation", () => new RwMutex());
        yield return Case("reader-queue", () => new RuntimeRwMutex());
        yield return Case("rwls-norecursion", () => new RwlsLock(LockRecursionPolicy.NoRecursion));
        yield return Case("rwls-recursion", () => new RwlsLock(LockRecursionPolicy.SupportsRecursion));
        yield return Case("bravo", () => new BravoRwMutex());
    }

    private static TestCaseData Case(string name, Func<IRwLock> create) =>
        new TestCaseData(new LockFactory(name, create)).SetArgDisplayNames(name);
}

public sealed record LockFactory(string Name, Func<IRwLock> Create)
{
    public override string ToString() => Name;
}
