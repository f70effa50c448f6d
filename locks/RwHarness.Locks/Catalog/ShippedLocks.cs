using RwHarness.Model;

namespace RwHarness.Locks.Catalog;

/// <summary>Every lock RwHarness ships, in the order `rwharness list` prints them.</summary>
public static class ShippedLocks
{
    public static IReadOnlyList<LockDescriptor> All { get; } =
    [
        new CounterNegationDescriptor(),
        new ReaderQueueDescriptor(),
        new RwlsNoRecursionDescriptor(),
        new RwlsRecursionDescriptor(),
        new BravoDescriptor(),
    ];

    /// <summary>The shipped lock called <paramref name="name"/>, or null.</summary>
    public static LockDescriptor? Find(string name) => All.FirstOrDefault(d => d.Name == name);
}
