using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

/// <summary>What every shipped lock does on one thread, plus the Try results another thread sees.</summary>
[TestFixture]
public class CommonSemanticsTests
{
    private static IEnumerable<TestCaseData> All() => Locks.Production();

    [TestCaseSource(nameof(All))]
    public void Free_lock_grants_both_sides(LockFactory f)
    {
        var l = f.Create();
        Assert.That(l.TryEnterWrite(), Is.True);
        l.ExitWrite();
        Assert.That(l.TryEnterRead(), Is.True);
        l.ExitRead();
        l.EnterWrite();
        l.ExitWrite();
        l.EnterRead();
        l.ExitRead();
    }

    [TestCaseSource(nameof(All))]
    public void While_read_held_readers_share_and_writers_are_refused(LockFactory f)
    {
        var l = f.Create();
        l.EnterRead();
        var otherRead = TestThreads.OnOtherThread(() =>
        {
            var ok = l.TryEnterRead();
            if (ok)
            {
                l.ExitRead();
            }
            return ok;
        });
        var otherWrite = TestThreads.OnOtherThread(() =>
        {
            var ok = l.TryEnterWrite();
            if (ok)
            {
                l.ExitWrite();
            }
            return ok;
        });
        l.ExitRead();
        Assert.That(otherRead, Is.True, "a second reader shares the lock");
        Assert.That(otherWrite, Is.False, "a writer is refused while a reader holds");
        Assert.That(l.TryEnterWrite(), Is.True, "free again after the reader left");
        l.ExitWrite();
    }

    [TestCaseSource(nameof(All))]
    public void While_write_held_everyone_else_is_refused(LockFactory f)
    {
        var l = f.Create();
        l.EnterWrite();
        var otherRead = TestThreads.OnOtherThread(() =>
        {
            var ok = l.TryEnterRead();
            if (ok)
            {
                l.ExitRead();
            }
            return ok;
        });
        var otherWrite = TestThreads.OnOtherThread(() =>
        {
            var ok = l.TryEnterWrite();
            if (ok)
            {
                l.ExitWrite();
            }
            return ok;
        });
        l.ExitWrite();
        Assert.That(otherRead, Is.False, "a reader is refused while a writer holds");
        Assert.That(otherWrite, Is.False, "a second writer is refused");
        Assert.That(l.TryEnterRead(), Is.True, "free again after the writer left");
        l.ExitRead();
    }

    [TestCaseSource(nameof(All))]
    public void Exiting_a_side_that_is_not_held_throws_and_leaves_the_lock_usable(LockFactory f)
    {
        var l = f.Create();
        Assert.Throws<SynchronizationLockException>(l.ExitRead);
        Assert.Throws<SynchronizationLockException>(l.ExitWrite);
        l.EnterRead();
        Assert.Throws<SynchronizationLockException>(l.ExitWrite, "write exit while only read is held");
        l.ExitRead();
        l.EnterWrite();
        l.ExitWrite();
        Assert.That(l.TryEnterWrite(), Is.True);
        l.ExitWrite();
    }

    [TestCaseSource(nameof(All))]
    public void Using_scopes_enter_and_exit(LockFactory f)
    {
        var l = f.Create();
        using (l.Read())
        {
            Assert.That(TestThreads.OnOtherThread(() => TryWriteAndRelease(l)), Is.False);
        }
        using (l.Write())
        {
            Assert.That(TestThreads.OnOtherThread(() => TryReadAndRelease(l)), Is.False);
        }
        Assert.That(TestThreads.OnOtherThread(() => TryWriteAndRelease(l)), Is.True);
    }

    [TestCaseSource(nameof(All))]
    public void Describes_its_state(LockFactory f)
    {
        var l = f.Create();
        Assert.That(l, Is.InstanceOf<IDescribeState>());
        Assert.That(((IDescribeState)l).DescribeState(), Is.Not.Empty);
    }

    private static bool TryWriteAndRelease(IRwLock l)
    {
        var ok = l.TryEnterWrite();
        if (ok)
        {
            l.ExitWrite();
        }
        return ok;
    }

    private static bool TryReadAndRelease(IRwLock l)
    {
        var ok = l.TryEnterRead();
        if (ok)
        {
            l.ExitRead();
        }
        return ok;
    }
}
