using System.Threading;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>
/// Scenario 5 (and Go's TestTryLock and its RUnlock/Unlock misuse panics): exiting a side that is not held
/// throws SynchronizationLockException with the lock's documented message, and TryEnter results match the
/// lock's state. The tries come from a second thread, so thread-affine locks see no recursion.
/// </summary>
public sealed class Misuse : Scenario
{
    public override string Name => "misuse";

    public override string Description => "exit of an unheld side throws with the documented message; TryEnter results match the state";

    public override Expectation Expect(LockDescriptor lockDescriptor) =>
        lockDescriptor.Has(LockTraits.ThrowsOnMisuse) ? Expectation.Holds : Expectation.NotApplicable("the lock does not detect misuse");

    public override ScenarioInstance Create<TSync>(LockDescriptor lk)
    {
        var l = lk.Create<TSync>();
        var stage = new int[1];
        void WaitFor(int s)
        {
            while (TSync.Load(ref stage[0], "stage") != s)
            {
                TSync.Yield();
            }
        }
        void Next(int s) => TSync.Store(ref stage[0], s, "stage");
        return new ScenarioInstance(
            new ThreadSpec("Owner", () =>
            {
                ExpectMisuse(l.ExitRead, lk.ReadMisuseMessage, "ExitRead of an unlocked lock");
                ExpectMisuse(l.ExitWrite, lk.WriteMisuseMessage, "ExitWrite of an unlocked lock");
                ScenarioAssert.That(l.TryEnterWrite(), "TryEnterWrite on a free lock failed");
                Next(1);
                WaitFor(2);
                l.ExitWrite();
                ScenarioAssert.That(l.TryEnterRead(), "TryEnterRead on a free lock failed");
                Next(3);
                WaitFor(4);
                l.ExitRead();
                Next(5);
            }),
            new ThreadSpec("Other", () =>
            {
                WaitFor(1);
                ScenarioAssert.That(!l.TryEnterWrite(), "TryEnterWrite succeeded while another thread held the write side");
                ScenarioAssert.That(!l.TryEnterRead(), "TryEnterRead succeeded while another thread held the write side");
                Next(2);
                WaitFor(3);
                ScenarioAssert.That(!l.TryEnterWrite(), "TryEnterWrite succeeded while another thread held the read side");
                if (lk.Has(LockTraits.SharedReaders))
                {
                    ScenarioAssert.That(l.TryEnterRead(), "TryEnterRead failed while only readers held the lock");
                    l.ExitRead();
                }
                Next(4);
                WaitFor(5);
                ScenarioAssert.That(l.TryEnterWrite(), "TryEnterWrite failed after every side was released");
                l.ExitWrite();
            }))
        {
            DescribeState = () => l is IDescribeState d ? d.DescribeState() : "",
        };
    }

    private static void ExpectMisuse(Action misuse, string? message, string what)
    {
        try
        {
            misuse();
        }
        catch (SynchronizationLockException e)
        {
            ScenarioAssert.That(message is null || e.Message == message, $"{what} threw \"{e.Message}\", documented: \"{message}\"");
            return;
        }
        throw new ScenarioAssertionException($"{what} did not throw SynchronizationLockException");
    }
}
