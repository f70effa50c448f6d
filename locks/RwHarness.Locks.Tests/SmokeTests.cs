using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

/// <summary>
/// Readers and writers hammer each shipped lock on real threads. Bounded by iteration counts, never by
/// time: every thread does a fixed amount of work and the test joins them with a timeout.
/// </summary>
[TestFixture]
public class SmokeTests
{
    private const int Readers = 3;
    private const int Writers = 2;
    private const int ReadsPerReader = 20_000;
    private const int WritesPerWriter = 2_000;

    private static IEnumerable<TestCaseData> All() => Locks.Production();

    [TestCaseSource(nameof(All))]
    public void Readers_and_writers_never_overlap(LockFactory f) =>
        Hammer(f.Create(), Readers, Writers, ReadsPerReader, WritesPerWriter);

    /// <summary>Runs readers and writers on real threads and asserts no overlap, no lost write, a free lock at the end.</summary>
    internal static void Hammer(IRwLock l, int readers, int writers, int readsPerReader, int writesPerWriter)
    {
        var activeReaders = 0;
        var activeWriters = 0;
        var overlaps = 0;
        var maxConcurrentReaders = 0;
        long protectedCounter = 0; // written only under the write lock, without atomics

        var start = new Barrier(readers + writers);

        void Reader()
        {
            start.SignalAndWait();
            for (var i = 0; i < readsPerReader; i++)
            {
                var tried = (i & 7) == 0 && l.TryEnterRead();
                if (!tried)
                {
                    l.EnterRead();
                }
                var now = Interlocked.Increment(ref activeReaders);
                if (Volatile.Read(ref activeWriters) != 0)
                {
                    Interlocked.Increment(ref overlaps);
                }
                InterlockedMax(ref maxConcurrentReaders, now);
                _ = Volatile.Read(ref protectedCounter);
                Interlocked.Decrement(ref activeReaders);
                l.ExitRead();
            }
        }

        void Writer()
        {
            start.SignalAndWait();
            for (var i = 0; i < writesPerWriter; i++)
            {
                var tried = (i & 3) == 0 && l.TryEnterWrite();
                if (!tried)
                {
                    l.EnterWrite();
                }
                if (Interlocked.Increment(ref activeWriters) != 1 || Volatile.Read(ref activeReaders) != 0)
                {
                    Interlocked.Increment(ref overlaps);
                }
                protectedCounter++;
                Interlocked.Decrement(ref activeWriters);
                l.ExitWrite();
            }
        }

        var bodies = new List<Action>();
        for (var r = 0; r < readers; r++)
        {
            bodies.Add(Reader);
        }
        for (var w = 0; w < writers; w++)
        {
            bodies.Add(Writer);
        }
        TestThreads.RunAll([.. bodies]);

        Assert.That(overlaps, Is.EqualTo(0), "a writer overlapped a reader or another writer");
        Assert.That(protectedCounter, Is.EqualTo((long)writers * writesPerWriter), "a write was lost");
        Assert.That(activeReaders + activeWriters, Is.EqualTo(0));
        TestContext.Out.WriteLine($"most readers inside at once: {maxConcurrentReaders}");
        Assert.That(((IDescribeState)l).DescribeState(), Is.Not.Empty);
        // The lock is free at the end.
        Assert.That(l.TryEnterWrite(), Is.True);
        l.ExitWrite();
    }

    private static void InterlockedMax(ref int location, int value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
