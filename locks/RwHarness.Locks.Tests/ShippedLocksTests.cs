using RwHarness.Locks.Catalog;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

[TestFixture]
public class ShippedLocksTests
{
    [Test]
    public void Names_are_the_shipped_set_and_unique()
    {
        var names = ShippedLocks.All.Select(d => d.Name).ToList();
        Assert.That(names, Is.EqualTo(new[] { "counter-negation", "reader-queue", "rwls-norecursion", "rwls-recursion", "bravo" }));
        Assert.That(names, Is.Unique);
        Assert.That(names.All(n => System.Text.RegularExpressions.Regex.IsMatch(n, "^[a-z]+(-[a-z]+)*$")), Is.True, "kebab-case");
        Assert.That(ShippedLocks.Find("bravo"), Is.SameAs(ShippedLocks.All[^1]));
        Assert.That(ShippedLocks.Find("nope"), Is.Null);
    }

    [Test]
    public void Traits_say_what_each_lock_promises()
    {
        Assert.That(ShippedLocks.Find("counter-negation")!.Traits, Is.EqualTo(LockTraits.Go));
        Assert.That(ShippedLocks.Find("reader-queue")!.Traits, Is.EqualTo(LockTraits.Go | LockTraits.ReaderQueue));
        var noRec = ShippedLocks.Find("rwls-norecursion")!;
        Assert.That(noRec.Has(LockTraits.ThrowsOnRecursion | LockTraits.ThreadAffine | LockTraits.SharedReaders | LockTraits.ThrowsOnMisuse), Is.True);
        Assert.That(noRec.Has(LockTraits.WriterPreferring), Is.False);
        var rec = ShippedLocks.Find("rwls-recursion")!;
        Assert.That(rec.Has(LockTraits.SupportsRecursion), Is.True);
        Assert.That(rec.Has(LockTraits.ThrowsOnRecursion), Is.False);
        var bravo = ShippedLocks.Find("bravo")!;
        Assert.That(bravo.Has(LockTraits.SharedReaders | LockTraits.ThrowsOnMisuse), Is.True);
        Assert.That(bravo.Has(LockTraits.WriterPreferring), Is.False);
        Assert.That(ShippedLocks.All.All(d => d.Description.Length > 0), Is.True, "every lock describes itself");
    }

    private static IEnumerable<TestCaseData> Descriptors() =>
        ShippedLocks.All.Select(d => new TestCaseData(d).SetArgDisplayNames(d.Name));

    [TestCaseSource(nameof(Descriptors))]
    public void Each_descriptor_creates_a_fresh_working_lock(LockDescriptor d)
    {
        var l = d.Create<RealSync>();
        Assert.That(d.Create<RealSync>(), Is.Not.SameAs(l));
        l.EnterRead();
        Assert.That(TestThreads.OnOtherThread(() =>
        {
            var ok = l.TryEnterWrite();
            if (ok)
            {
                l.ExitWrite();
            }
            return ok;
        }), Is.False);
        l.ExitRead();
        l.EnterWrite();
        l.ExitWrite();
        Assert.That(l.TryEnterRead(), Is.True);
        l.ExitRead();
        Assert.Throws<SynchronizationLockException>(l.ExitWrite);
        Assert.That(((IDescribeState)l).DescribeState(), Is.Not.Empty);
        (l as IDisposable)?.Dispose();
    }

    [TestCaseSource(nameof(Descriptors))]
    public void Each_descriptor_excludes_on_a_shaken_backend(LockDescriptor d)
    {
        // The descriptor's generic factory on a backend that yields at random shared-memory operations.
        var l = d.Create<YieldingSync>();
        SmokeTests.Hammer(l, readers: 2, writers: 2, readsPerReader: 3_000, writesPerWriter: 500);
    }
}
